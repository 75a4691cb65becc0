from __future__ import annotations

from typing import Any

from django import forms

from xanh.ghg.calc import UNITS, CombustionSector, SourceType, default_tables
from xanh.ghg.models import GWP_CHOICES


class ActivityForm(forms.Form):
    """One activity record typed on the inventory page; the service does the real validation."""

    year = forms.IntegerField(label="Năm số liệu")
    source_type = forms.ChoiceField(label="Loại nguồn", choices=[(s.value, s.label) for s in SourceType])
    description = forms.CharField(label="Mô tả nguồn", required=False, max_length=255)
    fuel = forms.ChoiceField(label="Nhiên liệu", required=False)
    combustion_sector = forms.ChoiceField(
        label="Lĩnh vực đốt nhiên liệu",
        required=False,
        choices=[("", "Theo mặc định của cơ sở")]
        + [(s.value, f"{s.label} ({s.ipcc_table})") for s in CombustionSector],
    )
    quantity = forms.CharField(label="Số lượng", help_text="Ví dụ 1.234,5")
    unit = forms.ChoiceField(
        label="Đơn vị", choices=[(u.code, f"{u.code} — {u.label}") for u in UNITS.values()]
    )
    density_kg_per_l = forms.CharField(
        label="Khối lượng riêng (kg/L)", required=False, help_text="Khi nhập theo lít hoặc m³"
    )
    gas = forms.CharField(
        label="Khí phát thải", required=False, help_text="Khi số lượng là khối lượng khí (ví dụ SF6)"
    )
    ef_co2 = forms.CharField(label="Hệ số CO2 riêng", required=False)
    ef_ch4 = forms.CharField(label="Hệ số CH4 riêng", required=False)
    ef_n2o = forms.CharField(label="Hệ số N2O riêng", required=False)
    factor_source = forms.CharField(label="Nguồn hệ số riêng", required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fuel"].choices = [("", "—")] + [
            (f.key, f.name_vi) for f in default_tables().fuels.values()
        ]

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        factors = {
            gas: data[f"ef_{gas.lower()}"] for gas in ("CO2", "CH4", "N2O") if data.get(f"ef_{gas.lower()}")
        }
        return {
            "year": data["year"],
            "source_type": data["source_type"],
            "description": data["description"],
            "label": data["description"],
            "fuel": data["fuel"],
            "sector": data["combustion_sector"],
            "quantity": data["quantity"],
            "unit": data["unit"],
            "density_kg_per_l": data["density_kg_per_l"] or None,
            "gas": data["gas"],
            "factor_overrides": factors,
            "factor_source": data["factor_source"],
        }


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp số liệu (.xlsx hoặc .csv)")


class GwpForm(forms.Form):
    gwp_set = forms.ChoiceField(label="Bộ hệ số GWP", choices=GWP_CHOICES)
    reason = forms.CharField(label="Lý do thay đổi", max_length=500)
