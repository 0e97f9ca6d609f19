"""docassemble's side of bench/sessions.py: run by the peer's python (bench/.peer/venv/bin/python).

usage: sessions_peer.py INTERVIEW.yml [INTERVIEW.yml ...]
For each interview (built by bench/sessions.py: a DAList of N objects, then one question) it builds the
session once, then times what docassemble does for one request on it: unpickle the stored dictionary,
assemble the interview, pickle it again (the webapp's pack_dictionary: pickleable_objects + pickle).
Prints one JSON line per interview: {"file", "unpickle", "assemble", "pickle", "total"} in ms (medians of
the process's CPU time, as bench/sessions.py measures offstage).
"""

import json
import os
import pickle
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())  # run from the peer's folder: its run_interview drives docassemble
import run_interview as ri
from docassemble.base.functions import pickleable_objects


def one_request(interview, path, blob):
    t0 = time.process_time()
    user_dict = pickle.loads(blob)  # noqa: S301 - docassemble's own pickled answers, made by this bench
    t1 = time.process_time()
    status = ri.assemble(interview, user_dict, path)
    t2 = time.process_time()
    pickle.dumps(pickleable_objects(user_dict))
    t3 = time.process_time()
    return status, (t1 - t0, t2 - t1, t3 - t2, t3 - t0)


def main():
    for path in sys.argv[1:]:
        objects = int(os.path.basename(path).split("-")[1].split(".")[0])
        interview = ri.load_interview(path)
        user_dict = ri.fresh_dictionary()
        ri.assemble(interview, user_dict, path)  # builds the list: the stored session
        blob = pickle.dumps(pickleable_objects(user_dict))
        status, _ = one_request(interview, path, blob)  # warm-up
        if status.rendered["question"] != "One more thing":
            raise RuntimeError(f"the bench interview did not reach its question: {status.rendered}")
        runs = [one_request(interview, path, blob)[1] for _ in range(max(5, min(40, 40_000 // max(objects, 1))))]
        parts = [statistics.median(run[i] for run in runs) * 1000 for i in range(4)]
        print(json.dumps({"file": path, "objects": objects, "unpickle": parts[0], "assemble": parts[1],
                          "pickle": parts[2], "total": parts[3], "bytes": len(blob)}), flush=True)


if __name__ == "__main__":
    main()
