"""`{% catalogue_cache "name" value ... %}…{% endcatalogue_cache %}`: a fragment cached until the
catalogue changes (core/page_cache.py), for every visitor who gets the same prices.

The key is the name, the values (a product page's ids, a model's primary key, anything else as
text), the language, the catalogue version and the visitor's pricing (the strategy and its company).
Only wrap what shows the catalogue alone: nothing of the visitor's own (name, basket, messages) may
be inside. Forms inside keep working: their CSRF token is stored as a placeholder and each response
gets the visitor's own. Inside the block, lazily fetched context (search.selectors.ProductPage, an
unevaluated queryset) is only read on a miss, so a hit costs one cache read and no query.

`{% visitor_include "template.html" %}` inside a fragment (directly or in a template it includes)
is the hole for what is the visitor's own (wish-list buttons, the staff's edit link, the stock alert
form): the fragment stores a marker, and every response renders the template into it for its
visitor, with the page's context (not variables set inside the fragment). Outside a fragment, or
with the fragment cache off, it is a plain include.
"""

import re

from django import template
from django.db.models import Model
from django.utils.safestring import mark_safe

from core import page_cache

register = template.Library()


def _identity(value):
    ids = getattr(value, "product_ids", None)
    if ids is not None:
        return ("ids", tuple(ids))
    if isinstance(value, Model):
        return (value._meta.label, value.pk)
    return str(value)


# A hole in a stored fragment: <!--visitor-include:oscar/catalogue/partials/add_to_wishlist.html-->.
_HOLE = "<!--visitor-include:{}-->"
_HOLES = re.compile(r"<!--visitor-include:([\w./-]+)-->")
_IN_FRAGMENT = "core.catalogue_cache.in_fragment"


class CatalogueCacheNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        request = context.get("request")
        if page_cache.fragment_timeout() <= 0 or request is None or context.get(_IN_FRAGMENT):
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = tuple(_identity(expression.resolve(context)) for expression in self.vary)
        key = page_cache.catalogue_key("fragment", name, page_cache.pricing_key(request), vary)
        body = page_cache.cached_value(key, lambda: page_cache.without_csrf_tokens(self._render_with_holes(context)))
        body = page_cache.with_csrf_token(body, request)
        if "<!--visitor-include:" in body:
            engine = context.template.engine
            body = _HOLES.sub(lambda match: engine.get_template(match.group(1)).render(context), body)
        return mark_safe(body)

    def _render_with_holes(self, context):
        # A context variable, not render_context: included templates must see it too.
        with context.push({_IN_FRAGMENT: True}):
            return self.nodelist.render(context)


class VisitorIncludeNode(template.Node):
    def __init__(self, template_name):
        self.template_name = template_name

    def render(self, context):
        if context.get(_IN_FRAGMENT):
            return _HOLE.format(self.template_name)
        return context.template.engine.get_template(self.template_name).render(context)


@register.tag
def catalogue_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% catalogue_cache %} needs a fragment name.")
    nodelist = parser.parse(("endcatalogue_cache",))
    parser.delete_first_token()
    name, *vary = (parser.compile_filter(bit) for bit in bits[1:])
    return CatalogueCacheNode(nodelist, name, vary)


@register.tag
def visitor_include(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% visitor_include %} takes one quoted template name.")
    name = bits[1][1:-1]
    if not re.fullmatch(r"[\w./-]+", name):
        raise template.TemplateSyntaxError(f"{name!r} is not a template name {{% visitor_include %}} can hold.")
    return VisitorIncludeNode(name)
