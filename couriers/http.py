"""The one HTTP client for courier providers: explicit timeouts, errors turned into ProviderError."""

import logging

import requests

from core.locks import forbid_network_in_transaction
from couriers.providers.base import ProviderError, ProviderRejected, ProviderTimeout

logger = logging.getLogger(__name__)


class ApiClient:
    def __init__(self, *, base_url: str, api_key: str, connect_timeout: float, read_timeout: float, service: str):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = (connect_timeout, read_timeout)
        self.service = service

    def request(self, method: str, path: str, *, json: dict | None = None) -> dict:
        """Call the API; returns its JSON object or raises ProviderError (never a requests exception)."""
        forbid_network_in_transaction(self.service)
        url = f"{self.base_url}{path}"
        try:
            response = requests.request(
                method,
                url,
                json=json,
                timeout=self.timeout,
                headers={"Authorization": self.api_key, "Accept": "application/json"},
            )
        except requests.Timeout as error:
            logger.warning("%s %s %s timed out", self.service, method, path)
            raise ProviderTimeout(f"{self.service} did not answer in time") from error
        except requests.RequestException as error:
            logger.warning("%s %s %s failed: %s", self.service, method, path, error)
            raise ProviderError(f"{self.service} could not be reached") from error
        try:
            body = response.json()
        except ValueError as error:
            raise ProviderError(f"{self.service} answered {response.status_code} without JSON") from error
        if not isinstance(body, dict):
            raise ProviderError(f"{self.service} answered {response.status_code} with an unexpected body")
        if response.status_code >= 500:
            raise ProviderError(f"{self.service} failed ({response.status_code}): {body.get('error', '')}".strip())
        if response.status_code >= 400 or body.get("success") is False:
            raise ProviderRejected(str(body.get("error") or f"{self.service} refused ({response.status_code})"))
        return body
