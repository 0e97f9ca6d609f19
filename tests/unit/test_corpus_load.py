"""Every interview of the reference corpus loads."""

from __future__ import annotations

from pathlib import Path

import yaml
from offstage.interview import QuestionBlock, load_interview_file


def test_every_corpus_file_loads(corpus: Path):
    files = sorted(corpus.glob("*.yml"))
    assert len(files) == 37
    for path in files:
        interview = load_interview_file(path)
        documents = [d for d in yaml.safe_load_all(path.read_text()) if d]
        # one typed block per YAML document: nothing is dropped or merged on the way
        assert len(interview.blocks) == len(documents), path.name
        assert any(isinstance(b, QuestionBlock) for b in interview.blocks), path.name


def test_corpus_features_are_understood(corpus: Path):
    preview = load_interview_file(corpus / "preview.yml")
    assert preview.features == {"centered": False}
    assert preview.definers("question_food")[0].target == "food_section_text"
    chatbot = load_interview_file(corpus / "chatbot-bg.yml")
    assert chatbot.modules == [".chatbot_bg"]
    assert [b.generic for b in chatbot.generic_definers(".bg_ask")] == ["Conversation"]
    testcron = load_interview_file(corpus / "testcron.yml")
    assert testcron.uses_process_action
    assert not load_interview_file(corpus / "background_action.yml").uses_process_action
    alarm = load_interview_file(corpus / "alarm-clock.yml")
    assert alarm.definers("final_screen")[0].sets == ["final_screen"]
    assert alarm.definers("now")[0].reconsider is True
