from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views import View

from companies.access import CompanyMemberMixin
from purchasing.selectors import company_order_for_user, company_orders


class CompanyOrderListView(CompanyMemberMixin, View):
    """Every order bought for the company, whoever placed it; visible to all its members."""

    template_name = "purchasing/order_list.html"
    paginate_by = 25

    def get(self, request):
        page = Paginator(company_orders(company=self.company), self.paginate_by).get_page(request.GET.get("page"))
        context = self.context(page_obj=page, company_orders=page.object_list)
        return render(request, self.template_name, context)


class CompanyOrderDetailView(LoginRequiredMixin, View):
    template_name = "purchasing/order_detail.html"

    def get(self, request, number):
        company_order = company_order_for_user(user=request.user, number=number)
        if company_order is None:
            raise Http404
        order = company_order.order
        context = {
            "company_order": company_order,
            "order": order,
            "company": company_order.company,
            "invoice": getattr(order, "invoice", None),
        }
        return render(request, self.template_name, context)
