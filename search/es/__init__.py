"""Elasticsearch 8 pieces of the search app: analysis, the product mapping and the query builders.

Only `search.backends.elasticsearch` talks to a server; everything here builds request bodies, so it
is unit-tested through `to_dict()` on machines without Elasticsearch.
"""
