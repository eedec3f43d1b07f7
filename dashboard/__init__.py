default_app_config = "dashboard.apps.DashboardConfig"
