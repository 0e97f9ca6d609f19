"""Interview texts that several test modules use (unit, integration over HTTP, and the browser)."""

from __future__ import annotations

# A list question gathered item by item: the shape an attacker's names aim at (fruits[i], events).
FRUITS = """\
objects:
  - fruits: DAList
---
mandatory: True
code: |
  fruits.there_are_any = True
  fruits.gather()
  final_screen
---
question: What fruit?
fields:
  - Fruit: fruits[i]
---
question: Another fruit?
yesno: fruits.there_is_another
---
event: final_screen
question: You like ${ fruits[0] } and ${ fruits[1] }.
---
event: show_first
question: Your first fruit is ${ fruits[0] }.
"""

# A background action that never ends by itself (its deadline stops it) and a screen that says how it went.
RUNAWAY_TASK = """\
mandatory: True
code: |
  spin_task = background_action('spin', 'flash')
---
mandatory: True
question: |
  % if spin_task.ready():
  The task ${ 'failed' if spin_task.failed() else 'finished' }.
  % else:
  Waiting for the task.
  % endif
---
event: spin
code: |
  while True:
    pass
"""
