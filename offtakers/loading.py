from oscar.core.loading import default_class_loader


def class_loader(module_label, classnames, module_prefix):
    """Oscar's loader, except that `partner.strategy.Selector` is ours (see offtakers.strategy)."""
    classes = default_class_loader(module_label, classnames, module_prefix)
    if module_label == "partner.strategy" and "Selector" in classnames:
        from offtakers.strategy import Selector

        classes[classnames.index("Selector")] = Selector
    return classes
