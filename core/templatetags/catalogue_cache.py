"""`{% catalogue_cache "name" value ... %}…{% endcatalogue_cache %}`: a fragment cached until the
catalogue changes (core/page_cache.py), for every visitor who gets the same prices.

The key is the name, the values (a product page's ids, a model's primary key, anything else as
text), the language, the catalogue version and the visitor's pricing (the strategy and its company).
Only wrap what shows the catalogue alone: nothing of the visitor's own (name, basket, messages) may
be inside. Forms inside keep working: their CSRF token is stored as a placeholder and each response
gets the visitor's own. Inside the block, lazily fetched context (search.selectors.ProductPage, an
unevaluated queryset) is only read on a miss, so a hit costs one cache read and no query.
"""

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


class CatalogueCacheNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        request = context.get("request")
        if page_cache.fragment_timeout() <= 0 or request is None:
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = tuple(_identity(expression.resolve(context)) for expression in self.vary)
        key = page_cache.catalogue_key("fragment", name, page_cache.pricing_key(request), vary)
        body = page_cache.cached_value(key, lambda: page_cache.without_csrf_tokens(self.nodelist.render(context)))
        return mark_safe(page_cache.with_csrf_token(body, request))


@register.tag
def catalogue_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% catalogue_cache %} needs a fragment name.")
    nodelist = parser.parse(("endcatalogue_cache",))
    parser.delete_first_token()
    name, *vary = (parser.compile_filter(bit) for bit in bits[1:])
    return CatalogueCacheNode(nodelist, name, vary)
