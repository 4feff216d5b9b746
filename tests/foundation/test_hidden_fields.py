"""Hidden fields are drawn straight to the markup WTForms' own widget gives them
(tracker/forms.py)."""

from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired
from wtforms.widgets import HiddenInput

from tracker.forms import Form


class Example(Form):
    version = HiddenField()
    note = StringField()
    kept = HiddenField(render_kw={"data-x": "1"})


def test_a_hidden_field_is_the_markup_wtforms_draws(app):
    with app.test_request_context():
        form = Example(data={"version": '7" onfocus="x<y>&', "note": "hello"})
        drawn = str(form.version)
        assert drawn == str(HiddenInput()(form.version))
        assert drawn == (
            '<input id="version" name="version" type="hidden" '
            'value="7&#34; onfocus=&#34;x&lt;y&gt;&amp;">'
        )
        # Anything else goes through WTForms as before.
        assert str(form.note) == '<input id="note" name="note" type="text" value="hello">'
        assert 'data-x="1"' in str(form.kept)
        assert str(form.version(class_="c")) == str(HiddenInput()(form.version, class_="c"))


def test_a_disabled_hidden_field_keeps_its_flag(app):
    class Disabled(Form):
        shown = HiddenField(validators=[DataRequired()])

    with app.test_request_context():
        form = Disabled()
        form.shown.flags.disabled = True
        assert "disabled" in str(form.shown)
