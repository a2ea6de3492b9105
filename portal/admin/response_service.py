"""Business rules for response templates: the words officers reuse in an internal note or an update to a
reporter. Admins keep them; officers choose the active ones on a referral's page."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import ResponseTemplate, TemplatePurpose


class ResponseTemplateError(Exception):
    """A change to the templates that cannot be made; the message is for the admin."""


@dataclass
class TemplateAnswers:
    """What an admin entered for a template, already checked for presence and format."""

    name: str
    purpose: TemplatePurpose
    body: str
    active: bool = True


def all_response_templates() -> list[ResponseTemplate]:
    """Every template, offered to officers or not, by purpose and then by name, for the admin list."""
    return list(
        db.session.execute(
            db.select(ResponseTemplate).order_by(
                ResponseTemplate.purpose, db.func.lower(ResponseTemplate.name), ResponseTemplate.id
            )
        ).scalars()
    )


def find_response_template(template_id: int) -> ResponseTemplate | None:
    return db.session.get(ResponseTemplate, template_id)


def _duplicate_name(name: str) -> ResponseTemplateError:
    return ResponseTemplateError(_("There is already a template called %(name)s", name=name))


def _check_name_is_free(name: str, template: ResponseTemplate | None = None) -> None:
    query = db.select(ResponseTemplate.id).where(db.func.lower(ResponseTemplate.name) == name.lower())
    if template is not None:
        query = query.where(ResponseTemplate.id != template.id)
    if db.session.execute(query).first():
        raise _duplicate_name(name)


def _apply(template: ResponseTemplate, answers: TemplateAnswers) -> None:
    template.name = answers.name
    template.purpose = TemplatePurpose(answers.purpose)
    template.body = answers.body
    template.active = answers.active


def _flush_or_refuse(name: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # another admin saved a template with the same name a moment ago
        raise _duplicate_name(name) from None


def create_response_template(answers: TemplateAnswers) -> ResponseTemplate:
    """Add a template. Officers can choose it straight away if it is active."""
    _check_name_is_free(answers.name)
    template = ResponseTemplate()
    _apply(template, answers)
    db.session.add(template)
    _flush_or_refuse(answers.name)
    return template


def update_response_template(template: ResponseTemplate, answers: TemplateAnswers) -> ResponseTemplate:
    """Change a template's words, or stop offering it. Notes and updates already made from it keep their text."""
    _check_name_is_free(answers.name, template)
    _apply(template, answers)
    _flush_or_refuse(answers.name)
    return template
