"""Host (gespreksleider) on a tablet: start a buurtgesprek, add signals one by one, close it."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from forms.choices import id_or_none, location_choices, theme_choices
from forms.host import CloseConversationForm, ConversationStartForm, EditSignalForm, QuickSignalForm
from wijkapp.access import partnership_blueprint, scoped_get_or_404
from wijkapp.models import Conversation, Role, Signal, Source
from wijkapp.models.base import utcnow
from wijkapp.services import conversations
from wijkapp.services.intake import record_signal_once

bp = partnership_blueprint("host", "host", {Role.HOST, Role.COORDINATOR})


@bp.get("/")
def home():
    form = ConversationStartForm(held_on=date.today())
    form.location.choices = location_choices(g.partnership, empty_label="Andere plek (vul hieronder in)")
    return render_template(
        "host/home.html",
        form=form,
        open_conversations=conversations.open_conversations_of(g.partnership, current_user),
        recent=conversations.recent_closed_of(g.partnership, current_user),
    )


@bp.post("/conversations")
def conversation_start():
    form = ConversationStartForm()
    form.location.choices = location_choices(g.partnership, empty_label="Andere plek (vul hieronder in)")
    if not form.validate_on_submit():
        return render_template(
            "host/home.html",
            form=form,
            open_conversations=conversations.open_conversations_of(g.partnership, current_user),
            recent=conversations.recent_closed_of(g.partnership, current_user),
        ), 422
    conversation = conversations.start_conversation(
        g.partnership, current_user, id_or_none(form.location.data), form.place.data, form.held_on.data
    )
    return redirect(url_for("host.conversation", conversation_id=conversation.id))


def _own_conversation(conversation_id: int) -> Conversation:
    conversation = scoped_get_or_404(Conversation, conversation_id)
    if conversation.host_id != current_user.id and Role.COORDINATOR not in g.roles:
        abort(403)
    return conversation


@bp.route("/conversations/<int:conversation_id>", methods=["GET", "POST"])
def conversation(conversation_id: int):
    conversation = _own_conversation(conversation_id)
    form = QuickSignalForm()
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        if not conversation.is_open:
            flash("Dit gesprek is al afgesloten. Start een nieuw gesprek om meer signalen toe te voegen.", "error")
            return redirect(url_for("host.conversation", conversation_id=conversation.id))
        record_signal_once(
            g.partnership,
            form.text.data,
            Source.HOST_CONVERSATION,
            form.submission_token.data,
            location_id=conversation.location_id,
            theme_id=id_or_none(form.theme.data),
            created_by=current_user,
            conversation_id=conversation.id,
        )
        flash("Opgeslagen. Typ het volgende signaal.", "success")
        # No #fragment: a fragment makes browsers skip autofocus, and the host must be able to
        # type the next signal straight away.
        return redirect(url_for("host.conversation", conversation_id=conversation.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "host/conversation.html",
        conversation=conversation,
        form=form,
        close_form=CloseConversationForm(),
        editable=conversations.editable_signal_ids(conversation.signals, current_user),
    ), status


@bp.post("/conversations/<int:conversation_id>/close")
def conversation_close(conversation_id: int):
    conversation = _own_conversation(conversation_id)
    close_form = CloseConversationForm()
    if not close_form.validate_on_submit():
        form = QuickSignalForm()
        form.theme.choices = theme_choices(g.partnership)
        return render_template(
            "host/conversation.html",
            conversation=conversation,
            form=form,
            close_form=close_form,
            editable=conversations.editable_signal_ids(conversation.signals, current_user),
        ), 422
    conversation.people_spoken = close_form.people_spoken.data
    conversation.closed_at = conversation.closed_at or utcnow()
    flash(f"Gesprek afgesloten: {len(conversation.signals)} signalen, "
          f"{conversation.people_spoken} mensen gesproken. Dank je wel!", "success")
    return redirect(url_for("host.home"))


@bp.route("/signals/<int:signal_id>/edit", methods=["GET", "POST"])
def signal_edit(signal_id: int):
    signal = scoped_get_or_404(Signal, signal_id)
    if signal.created_by_id != current_user.id:
        abort(403)
    if not conversations.can_edit(signal, current_user):
        flash("Je kunt alleen je eigen signalen van vandaag aanpassen.", "error")
        return redirect(url_for("host.home"))
    form = EditSignalForm(text=signal.text, theme=signal.theme_id or 0)
    form.theme.choices = theme_choices(g.partnership)
    if form.validate_on_submit():
        signal.text = form.text.data
        signal.theme_id = id_or_none(form.theme.data)
        signal.updated_at = utcnow()
        flash("Het signaal is aangepast.", "success")
        if signal.conversation_id:
            return redirect(url_for("host.conversation", conversation_id=signal.conversation_id))
        return redirect(url_for("host.home"))
    return render_template("host/signal_edit.html", form=form, signal=signal), 422 if form.is_submitted() else 200
