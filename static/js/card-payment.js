// Card payment for a placed order: Stripe.js turns the card into a PaymentMethod, our server
// creates and confirms the PaymentIntent, Stripe.js finishes 3-D Secure, and we wait for the
// webhook-driven status. No card number ever reaches our server in production.
(function () {
  "use strict";
  var form = document.getElementById("card-payment-form");
  if (!form) return;
  var messages = document.getElementById("card-payment-messages").dataset;
  var errorBox = document.getElementById("card-errors");
  var progress = document.getElementById("card-progress");
  var button = document.getElementById("pay-button");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var stripe = window.Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#card-element");

  function showError(message) {
    errorBox.textContent = message;
    errorBox.classList.remove("d-none");
    progress.classList.add("d-none");
    button.disabled = false;
  }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {status: response.status, data: data};
      });
    });
  }

  // localstripe's stand-in Stripe.js cannot create PaymentMethods, so in offline demos and tests
  // the card goes to a test-only endpoint that creates it with the test server.
  function createPaymentMethod() {
    var shimUrl = form.dataset.localstripeShimUrl;
    if (!shimUrl) {
      return stripe.createPaymentMethod({type: "card", card: card}).then(function (result) {
        if (result.error) throw new Error(result.error.message);
        return result.paymentMethod.id;
      });
    }
    return postJSON(shimUrl, card.value ? card.value.card : {}).then(function (response) {
      if (response.status !== 200) throw new Error(response.data.error || messages.unreadable);
      return response.data.id;
    });
  }

  function waitForConfirmation(attempt) {
    return fetch(form.dataset.statusUrl, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.order_status !== "Pending payment") {
          window.location.assign(form.dataset.doneUrl);
        } else if (status.payment_status === "requires_payment_method" || status.payment_status === "canceled") {
          showError(status.last_error || messages.failed);
        } else if (attempt < 120) {
          window.setTimeout(function () { waitForConfirmation(attempt + 1); }, 1000);
        }
      })
      .catch(function () { window.setTimeout(function () { waitForConfirmation(attempt + 1); }, 2000); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errorBox.classList.add("d-none");
    createPaymentMethod()
      .then(function (paymentMethodId) {
        return postJSON(form.dataset.payUrl, {payment_method_id: paymentMethodId});
      })
      .then(function (response) {
        if (response.status !== 200) throw new Error(response.data.error || messages.failed);
        if (response.data.status === "requires_action") {
          return stripe.confirmCardPayment(response.data.client_secret).then(function (result) {
            if (result.error) throw new Error(result.error.message || messages.failed);
          });
        }
      })
      .then(function () {
        progress.classList.remove("d-none");
        waitForConfirmation(0);
      })
      .catch(function (error) { showError(error.message || messages.network); });
  });
})();
