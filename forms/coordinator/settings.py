"""The partnership's themes and its two micro-survey questions."""
from __future__ import annotations

from forms.common import BaseForm, line_field


class ThemeForm(BaseForm):
    name = line_field("Nieuw thema", "Vul de naam van het thema in.", 60)


class MicroQuestionsForm(BaseForm):
    question_1 = line_field("Vraag 1", "Vul vraag 1 in.", 200)
    question_2 = line_field("Vraag 2", "Vul vraag 2 in.", 200)
