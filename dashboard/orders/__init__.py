default_app_config = "dashboard.orders.apps.OrdersDashboardConfig"
