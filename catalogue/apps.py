import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue"

    def ready(self):
        super().ready()
        from oscar.apps.analytics.receivers import receive_product_view
        from oscar.apps.catalogue.signals import product_viewed

        from catalogue.receivers import count_product_view

        product_viewed.disconnect(receive_product_view)
        product_viewed.connect(count_product_view, dispatch_uid="catalogue.count_product_view")
