"""Regional and informal spellings of the same word, searched as one (e.g. "kripik" finds "keripik").

Each group lists spellings a shopper may type for one product word; every spelling in a group
finds the others, on every backend (the database backend reads them with the SearchSynonym groups,
Elasticsearch receives them in its synonyms set). Only spellings of the same word belong here;
words that merely mean the same ("kerudung, jilbab, hijab") are SearchSynonym rows, which the
staff edit in the admin. Keep the list short: a spelling that is also another word does harm.
"""

REGIONAL_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("keripik", "kripik"),  # the informal spelling, common on packaging
    ("kerupuk", "krupuk"),
    ("kerudung", "krudung"),
    ("sambal", "sambel"),  # Javanese
    ("cabai", "cabe"),
    ("kue", "kueh"),
    ("kopi", "kupi"),  # Acehnese
    ("terasi", "trasi"),
    ("sirup", "sirop"),
    ("kurma", "korma"),
    ("petai", "pete"),
)
