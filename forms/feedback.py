"""What residents use on the feedback pages: looking up their receipt code."""
from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from forms.common import BaseForm


class ReceiptLookupForm(BaseForm):
    """A resident looks up what happened with their signal, by the code they got."""

    code = StringField(
        "Je code", validators=[DataRequired(message="Vul de code in die je kreeg, bijvoorbeeld K7M2-QX4P."),
                               Length(max=40, message="Dat is te lang voor een code. Een code heeft 8 tekens.")],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        description="8 letters en cijfers, bijvoorbeeld K7M2-QX4P. Een streepje of spatie mag.",
    )
