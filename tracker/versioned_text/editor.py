"""The practice manager's page for a versioned text: edit with a preview, save, restore the
shipped text, and every earlier version. Each registration's routes check who may use it and
which key is asked for, then hand over to its Editor."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.extensions import db
from tracker.forms import Form
from tracker.versioned_text.forms import RestoreForm
from tracker.versioned_text.services import VersionedTexts

# What the text looks like in use, and what stops it being saved (shown on the text box).
Check = Callable[[str, str, bool], tuple[Any, list[str]]]


@dataclass(frozen=True)
class Editor:
    texts: VersionedTexts
    form: type[Form]
    template: str  # extends versioned_text/edit.jinja
    blueprint: str  # whose "edit" and "restore" endpoints serve it
    key_arg: str  # the name of the key in those endpoints' addresses
    saved: str  # "... {label}"
    check: Check  # (key, text, saving) -> (preview, problems)

    def _url(self, endpoint: str, key: str) -> str:
        return url_for(f"{self.blueprint}.{endpoint}", **{self.key_arg: key})

    def edit(self, key: str, **context):
        """The editor page; saving a text that passes its checks redirects back to it."""
        label = self.texts.label_of(key)
        current = self.texts.current(key)
        form = self.form(data={"body": current.body} if request.method == "GET" else None)
        preview = None
        if form.validate_on_submit():
            saving = request.form.get("intent") == "save"
            preview, problems = self.check(key, form.body.data, saving)
            if saving and not problems:
                saved = self.texts.save(key, form.body.data, current_user)
                db.session.commit()
                flash(
                    self.saved.format(label=label)
                    if saved
                    else "No change to save: the text is the same",
                    "success" if saved else "info",
                )
                return redirect(self._url("edit", key))
            form.body.errors.extend(problems)
        return render_template(
            self.template,
            current=current,
            form=form,
            preview=preview,
            restore_form=RestoreForm(),
            versions=self.texts.history(key),
            shipped=self.texts.shipped[key],
            edit_url=self._url("edit", key),
            restore_url=self._url("restore", key),
            **context,
        )

    def restore(self, key: str):
        """Bring the shipped text back and return to the editor."""
        if not RestoreForm().validate_on_submit():
            abort(400)
        restored = self.texts.restore_default(key, current_user)
        db.session.commit()
        flash(
            f"Shipped text restored: {self.texts.label_of(key)}"
            if restored
            else "The shipped text is already in use",
            "success" if restored else "info",
        )
        return redirect(self._url("edit", key))
