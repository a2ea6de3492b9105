"""Admin pages: translating what admins write for residents (scheme names and descriptions, Get help services, area
and partner names) into each language the public pages are offered in."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, StringField, SubmitField, TextAreaField

from portal.admin import bp
from portal.admin.forms import NAME_LIMIT, TEXT_LIMIT
from portal.content import SUBJECTS, Subject, save_translations, translation_progress, translations_of
from portal.extensions import db
from portal.forms import CharacterCount, CheckboxInput, MaxLength, StripWhitespaceForm, SubmitInput, TextInput
from portal.languages import autonym, language_in_english, text_direction

ID = "int(max=2147483647)"


def _translated_language(language: str) -> str:
    """A language residents can choose other than English, else a 404."""
    config = current_app.config
    if language not in config["LANGUAGES"] or language == config["BABEL_DEFAULT_LOCALE"]:
        abort(404)
    return language


def translation_form(subject: Subject, thing, formdata=None, data=None) -> StripWhitespaceForm:
    """A box for each field of the thing that has English to translate, and whether a native speaker checked them."""

    class ContentTranslationForm(StripWhitespaceForm):
        reviewed = BooleanField(_l("A native speaker has checked these translations"), widget=CheckboxInput())
        submit = SubmitField(_l("Save translations"), widget=SubmitInput())

    for field, label in subject.fields.items():
        if getattr(thing, field):
            long = field in subject.long_fields
            limit = TEXT_LIMIT if long else NAME_LIMIT
            field_class, widget = (TextAreaField, CharacterCount()) if long else (StringField, TextInput())
            box = field_class(label, validators=[MaxLength(limit, thing=label)], widget=widget)
            setattr(ContentTranslationForm, field, box)
    return ContentTranslationForm(formdata=formdata, data=data)


def translated_fields(form, subject: Subject) -> list:
    return [form[field] for field in subject.fields if field in form]


@bp.route("/translations/<language>")
def content_translations(language: str):
    """Everything admins write for residents, with how much of it is translated into one language."""
    language = _translated_language(language)
    progress = translation_progress(language)
    return render_template(
        "admin/content_translations.html",
        language=language,
        language_name=autonym(language),
        english_name=language_in_english(language),
        groups=[(subject, [item for item in progress if item.subject is subject]) for subject in SUBJECTS.values()],
    )


@bp.route(f"/translations/<language>/<subject>/<{ID}:thing_id>", methods=["GET", "POST"])
def translate_content(language: str, subject: str, thing_id: int):
    """Translate one scheme, service, area or partner into one language, beside the English it is made from."""
    language = _translated_language(language)
    subject = SUBJECTS.get(subject) or abort(404)
    thing = db.session.get(subject.model, thing_id) or abort(404)
    existing = translations_of(thing, language)
    data = None
    if request.method == "GET":
        data = {field: row.text for field, row in existing.items()}
        data["reviewed"] = bool(existing) and not any(row.needs_review for row in existing.values())
    form = translation_form(subject, thing, formdata=request.form if request.method == "POST" else None, data=data)
    if form.validate_on_submit():
        texts = {field.name: field.data for field in translated_fields(form, subject)}
        save_translations(thing, language, texts, reviewed=form.reviewed.data, actor=current_user)
        db.session.commit()
        flash(_("Your translations of %(name)s have been saved.", name=thing.name), "success")
        return redirect(url_for("admin.content_translations", language=language))
    return render_template(
        "admin/content_translation.html",
        form=form,
        fields=translated_fields(form, subject),
        subject=subject,
        thing=thing,
        language=language,
        language_name=autonym(language),
        english_name=language_in_english(language),
        direction=text_direction(language),
        name_limit=NAME_LIMIT,
        text_limit=TEXT_LIMIT,
    )
