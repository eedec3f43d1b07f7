"""Rich text written by tenants (product and category descriptions), cut down to an allow-list.

A pesantren is an untrusted tenant: what its staff type reaches consumers, other pesantren and
programme staff. Rich text is therefore sanitised when it is saved (model `save()`, forms, the CSV
import, a data migration for old rows) and again when it is rendered (the `sanitised` filter), so
a row written by a path that skipped one of them is still harmless. Everything else a tenant types
is plain text and stays autoescaped.
"""

import nh3

RICH_TEXT_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
RICH_TEXT_ATTRIBUTES = {"a": {"href"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# Dropped with their content, not just unwrapped: their text is code or another document, never prose.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "svg", "math", "iframe", "frame", "object", "embed", "noscript", "template", "textarea"}
)

_cleaner = nh3.Cleaner(
    tags=set(RICH_TEXT_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in RICH_TEXT_ATTRIBUTES.items()},
    url_schemes=set(LINK_SCHEMES),
    # Relative links would resolve against our own site, where a tenant has no business pointing.
    url_relative="deny",
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def sanitise_rich_text(html: str | None) -> str:
    """The allowed formatting of `html` (see RICH_TEXT_TAGS), with every script, handler and odd URL gone.

    Idempotent: sanitising a sanitised value returns it unchanged, so it is safe on every save.
    """
    if not html:
        return ""
    return _cleaner.clean(str(html))


class SanitisedRichTextFormMixin:
    """For a form with rich-text fields named in `rich_text_fields`: their cleaned values are sanitised.

    The model sanitises on save as well; doing it in the form too means a re-displayed form (say
    after another field's error) and the preview never carry the raw markup back to the page.
    """

    rich_text_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned_data = super().clean()
        for name in self.rich_text_fields:
            if name in cleaned_data:
                cleaned_data[name] = sanitise_rich_text(cleaned_data[name])
        return cleaned_data
