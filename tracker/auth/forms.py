"""Sign-in and password forms."""

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo

from tracker.forms import Form, strip


class SignInForm(Form):
    email = EmailField(
        "Email address", filters=[strip], validators=[DataRequired("Enter your email address")]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])
    next = HiddenField()


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        description="At least 12 characters and hard to guess. Three or four words that do not go together, or a short sentence you will remember, work well.",
        validators=[DataRequired("Enter a new password")],
    )
    confirm_password = PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again"),
            EqualTo("new_password", message="The two new passwords do not match"),
        ],
    )
