"""Fast list pages: rows built from ``values_list()`` tuples instead of model instances run through DRF.

A list page of 100 targets through ``TargetSerializer(many=True)`` creates 200 model instances and calls two DRF field
objects per key (``get_attribute`` and ``to_representation``) — about 3,500 calls — and leaves enough live objects
to make Python's full garbage collections frequent; those pauses (50–70 ms) were the p95 tail of the list endpoints.
``RowBuilder`` produces the same JSON from one ``values_list()`` query for the page plus one query per nested
relation, with no model instances.

The serializer stays the single definition of the representation (and of the OpenAPI schema): the builder reads the
serializer's fields (after ``?fields=`` selection) and compiles each into a column of the query and a conversion:

* a field backed by a model column, also through forward foreign keys (``source="admin_unit.code"``), becomes that
  column; the value is passed through unchanged where DRF's representation is the database value itself (integers,
  floats, text, booleans, ids, JSON), otherwise it goes through the field's own ``to_representation`` (dates,
  date-times, lists);
* a ``ChoiceLabel`` becomes the column and a label lookup in the request's language;
* a nested serializer of a forward foreign key (``document``) is compiled the same way under the key's prefix;
* anything else must be declared: ``ModelProperty`` (a model ``@property`` evaluated on the needed columns),
  ``SerializerMethod`` (the serializer's ``get_<name>`` called with the needed columns), ``Children`` (a nested list
  of a reverse foreign key, one query for the page) or ``RelatedIds`` (ids of a reverse foreign key or many-to-many
  relation, one query for the page). An undeclared field raises ``ImproperlyConfigured``, so a serializer change
  cannot silently diverge from the fast path; tests/api/test_rows.py compares both paths on the same objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils import translation
from rest_framework import fields as drf_fields
from rest_framework import relations as drf_relations
from rest_framework import serializers as drf_serializers

from xanh.api.serializers import ChoiceLabel

#: DRF fields whose representation of a database value is a builtin conversion (cheap) or the value itself (None: ids,
#: JSON, booleans). Exact types: a subclass may represent differently and goes through its own ``to_representation``.
_PLAIN: dict[type[Any], Callable[[Any], Any] | None] = {
    drf_fields.IntegerField: int,
    drf_fields.FloatField: float,
    drf_fields.CharField: str,
    drf_fields.SlugField: str,
    drf_fields.BooleanField: None,
    drf_fields.JSONField: None,
    drf_fields.ReadOnlyField: None,
    drf_relations.PrimaryKeyRelatedField: None,
}


def _converter(serializer_field: drf_fields.Field) -> Callable[[Any], Any] | None:  # type: ignore[type-arg]
    """The conversion DRF applies to a non-null value of this field (None: the value itself)."""
    kind = type(serializer_field)
    if kind in _PLAIN and not (kind is drf_fields.JSONField and serializer_field.binary):  # type: ignore[attr-defined]
        return _PLAIN[kind]
    return serializer_field.to_representation


@dataclass(frozen=True)
class ModelProperty:
    """A model ``@property`` (``display_name``) evaluated on a stand-in object that has only ``columns``."""

    columns: tuple[str, ...]

    def __init__(self, *columns: str) -> None:
        object.__setattr__(self, "columns", columns)


@dataclass(frozen=True)
class SerializerMethod:
    """A ``SerializerMethodField`` whose method reads only ``attributes`` (name on the object -> column)."""

    attributes: Mapping[str, str]

    def __init__(self, **attributes: str) -> None:
        object.__setattr__(self, "attributes", attributes)


@dataclass(frozen=True)
class Children:
    """A nested list serializer of a reverse foreign key (``components``), one query for the whole page."""

    relation: str
    order_by: tuple[str, ...]
    declared: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RelatedIds:
    """Ids of a reverse foreign key or many-to-many relation (``predecessors``), one query for the whole page.
    ``order_by`` empty: the related model's default ordering, as a plain prefetch would have."""

    relation: str
    order_by: tuple[str, ...] = ()


Declared = ModelProperty | SerializerMethod | Children | RelatedIds


def _lookup(model: type[models.Model], source_attrs: Sequence[str]) -> tuple[str, bool] | None:
    """The ``values()`` lookup of a dotted source and whether it crosses a nullable relation; None when the source
    is not a model column (a property, a method)."""
    parts: list[str] = []
    nullable = False
    current = model
    for index, attr in enumerate(source_attrs):
        try:
            model_field = current._meta.get_field(attr)
        except FieldDoesNotExist:
            model_field = next((f for f in current._meta.concrete_fields if f.attname == attr), None)
            if model_field is None:
                return None
        if not getattr(model_field, "concrete", False):
            return None
        parts.append(model_field.name)
        last = index == len(source_attrs) - 1
        if not last:
            if not model_field.many_to_one and not model_field.one_to_one:
                return None
            nullable = nullable or bool(model_field.null)
            current = model_field.related_model  # type: ignore[assignment]
    return "__".join(parts), nullable


Computed = tuple[str, Callable[[tuple[Any, ...]], Any]]


class _Plan:
    """A compiled serializer: the columns to select and how to turn one tuple into one row. A plan holds nothing of
    a request (it is cached across requests); ``bind`` attaches the request's serializer context for the
    ``SerializerMethod`` fields."""

    def __init__(
        self,
        serializer: drf_serializers.Serializer,  # type: ignore[type-arg]
        declared: Mapping[str, Any],
        *,
        prefix: str = "",
        columns: list[str] | None = None,
    ) -> None:
        model: type[models.Model] = serializer.Meta.model  # type: ignore[attr-defined]
        self.model = model
        self.serializer_class = type(serializer)
        self.columns: list[str] = [] if columns is None else columns  # shared with nested objects' plans
        self.steps: list[tuple[str, int, Callable[[Any], Any] | None]] = []
        #: (name, model property getter or serializer method name, [(attribute, column index)], conversion)
        self.computed: list[tuple[str, Callable[[Any], Any] | str, list[tuple[str, int]], Any]] = []
        self.nested: list[tuple[str, int, _Plan, list[Computed]]] = []
        self.children: list[tuple[str, Children, _Plan]] = []
        self.related_ids: list[tuple[str, RelatedIds]] = []
        self.pk_index = self.column(prefix + "pk")
        for name, serializer_field in serializer.fields.items():
            spec = declared.get(name)
            if isinstance(spec, ModelProperty):
                getter = getattr(model, serializer_field.source)
                indexes = [(c, self.column(prefix + c)) for c in spec.columns]
                self.computed.append((name, getter.fget, indexes, _converter(serializer_field)))
            elif isinstance(spec, SerializerMethod):
                if prefix:
                    raise ImproperlyConfigured(
                        f"{name}: serializer methods of nested objects are not supported"
                    )
                indexes = [(a, self.column(prefix + c)) for a, c in spec.attributes.items()]
                self.computed.append((name, serializer_field.method_name, indexes, None))
            elif isinstance(spec, Children):
                if prefix:
                    raise ImproperlyConfigured(
                        f"{name}: nested lists inside nested objects are not supported"
                    )
                self.children.append((name, spec, _Plan(serializer_field.child, spec.declared)))
            elif isinstance(spec, RelatedIds):
                if prefix:
                    raise ImproperlyConfigured(f"{name}: related ids inside nested objects are not supported")
                self.related_ids.append((name, spec))
            elif spec is not None:
                raise ImproperlyConfigured(f"{name}: unknown declaration {spec!r}")
            elif isinstance(serializer_field, ChoiceLabel):
                index = self.column(prefix + serializer_field.source)
                self.steps.append((name, index, _Labels(model, serializer_field.source)))
            elif isinstance(serializer_field, drf_serializers.BaseSerializer):
                found = _lookup(model, serializer_field.source_attrs)
                if found is None or isinstance(serializer_field, drf_serializers.ListSerializer):
                    raise ImproperlyConfigured(f"{model.__name__}.{name}: declare Children(...) for it")
                index = self.column(prefix + found[0])
                inner = _Plan(serializer_field, {}, prefix=f"{prefix}{found[0]}__", columns=self.columns)
                self.nested.append((name, index, inner, inner.bind({})))
            else:
                found = _lookup(model, serializer_field.source_attrs)
                if (
                    found is None
                    or isinstance(serializer_field, drf_fields.SerializerMethodField)
                    or (
                        # hyperlinks and slugs need the request or another column; only ids are supported
                        isinstance(serializer_field, drf_relations.RelatedField)
                        and not isinstance(serializer_field, drf_relations.PrimaryKeyRelatedField)
                    )
                ):
                    raise ImproperlyConfigured(
                        f"{model.__name__}.{name} is not a model column: declare ModelProperty, SerializerMethod,"
                        " Children or RelatedIds for it"
                    )
                lookup, nullable = found
                if (
                    nullable
                    and serializer_field.default is drf_fields.empty
                    and not serializer_field.allow_null
                ):
                    # DRF would leave the key out when the relation is empty; rows always have every key
                    raise ImproperlyConfigured(f"{model.__name__}.{name}: give the field default=None")
                self.steps.append((name, self.column(prefix + lookup), _converter(serializer_field)))
        self.names = list(serializer.fields)

    def column(self, lookup: str) -> int:
        if lookup not in self.columns:
            self.columns.append(lookup)
        return self.columns.index(lookup)

    def bind(self, context: Mapping[str, Any]) -> list[Computed]:
        """The computed fields for one page: serializer methods are bound to a serializer with ``context`` (the
        request, for absolute links)."""
        bound: list[Computed] = []
        methods: Any = None
        for name, target, indexes, convert in self.computed:
            if isinstance(target, str):
                if methods is None:
                    methods = self.serializer_class(context=context)
                target = getattr(methods, target)
            bound.append((name, _compute(target, indexes, convert)))
        return bound

    def row(self, values: tuple[Any, ...], computed: list[Computed]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for name, index, convert in self.steps:
            value = values[index]
            record[name] = value if value is None or convert is None else convert(value)
        for name, compute in computed:
            record[name] = compute(values)
        for name, index, inner, inner_computed in self.nested:
            record[name] = None if values[index] is None else inner.row(values, inner_computed)
        # DRF's key order: the serializer's field order
        return {name: record.get(name) for name in self.names}


def _compute(
    function: Callable[[Any], Any], indexes: list[tuple[str, int]], convert: Callable[[Any], Any] | None
) -> Callable[[tuple[Any, ...]], Any]:
    def compute(values: tuple[Any, ...]) -> Any:
        result = function(SimpleNamespace(**{attr: values[i] for attr, i in indexes}))
        return result if result is None or convert is None else convert(result)

    return compute


class PageSource:
    """What the paginator slices: the tuples of the page query, counted on the filtered queryset alone. Counting the
    page query itself would keep the joins its columns need (``indicator__code``, ``admin_unit__code``): over 50,000
    indicator values that made the ``COUNT(*)`` several times slower. Those joins follow forward foreign keys (one
    related row at most, outer joins where the key is nullable), so they never change the count."""

    def __init__(self, values: models.QuerySet[Any], filtered: models.QuerySet[Any]) -> None:
        self.values = values
        self.filtered = filtered
        self.ordered = values.ordered  # read by Django's paginator (warning on unordered lists)

    def count(self) -> int:
        return int(self.filtered.select_related(None).prefetch_related(None).order_by().count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        return self.values[index]

    def __iter__(self) -> Any:
        return iter(self.values)


class _Labels:
    """Choice value -> label in the active language (resolved when the page is built)."""

    def __init__(self, model: type[models.Model], field_name: str) -> None:
        choices = model._meta.get_field(field_name).flatchoices  # type: ignore[union-attr]
        self.labels = {key: str(label) for key, label in choices}

    def __call__(self, value: Any) -> str:
        return str(self.labels.get(value, value))


@dataclass(frozen=True)
class RowBuilder:
    """The rows of a list page for a serializer (see the module docstring). ``declared`` names the fields that are
    not plain model columns. Compiled plans are kept per serializer class, field selection and language."""

    declared: Mapping[str, Declared] = field(default_factory=dict)
    _plans: dict[tuple[Any, ...], _Plan] = field(default_factory=dict, compare=False, repr=False)

    #: distinct ``?fields=`` selections come from clients: the cache is bounded
    MAX_PLANS: ClassVar[int] = 64

    def plan(self, serializer_class: type[Any], fields: Sequence[str] | None) -> _Plan:
        """The compiled plan; an unknown name in ``fields`` raises the serializer's 400 error (never cached)."""
        key = (serializer_class, tuple(fields) if fields else None, translation.get_language())
        plan = self._plans.get(key)
        if plan is None:
            serializer = serializer_class(fields=list(fields)) if fields else serializer_class()
            plan = _Plan(serializer, self.declared)
            if len(self._plans) >= self.MAX_PLANS:
                self._plans.clear()
            self._plans[key] = plan
        return plan

    def values(self, plan: _Plan, queryset: models.QuerySet[Any]) -> PageSource:
        """The page query: the selected columns as tuples (prefetches do not apply to tuples)."""
        return PageSource(queryset.prefetch_related(None).values_list(*plan.columns), queryset)

    def rows(
        self, plan: _Plan, tuples: Iterable[tuple[Any, ...]], context: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        tuples = list(tuples)
        computed = plan.bind(context)
        rows = [plan.row(values, computed) for values in tuples]
        if plan.children or plan.related_ids:
            ids = [values[plan.pk_index] for values in tuples]
            for name, spec, inner in plan.children:
                grouped = _children(plan.model, spec, inner, ids, context)
                for row, pk in zip(rows, ids, strict=True):
                    row[name] = grouped.get(pk, [])
            for name, related in plan.related_ids:
                grouped_ids = _related_ids(plan.model, related, ids)
                for row, pk in zip(rows, ids, strict=True):
                    row[name] = grouped_ids.get(pk, [])
        return rows


def _children(
    model: type[models.Model], spec: Children, inner: _Plan, ids: list[Any], context: Mapping[str, Any]
) -> dict[Any, list[Any]]:
    relation = model._meta.get_field(spec.relation)
    parent_key = relation.field.name  # type: ignore[union-attr]
    columns = [*inner.columns, parent_key]
    queryset = (
        inner.model._default_manager.filter(**{f"{parent_key}__in": ids})
        .order_by(*spec.order_by)
        .values_list(*columns)
    )
    computed = inner.bind(context)
    grouped: dict[Any, list[Any]] = {}
    for values in queryset:
        grouped.setdefault(values[-1], []).append(inner.row(values, computed))
    return grouped


def _related_ids(model: type[models.Model], spec: RelatedIds, ids: list[Any]) -> dict[Any, list[Any]]:
    relation = model._meta.get_field(spec.relation)
    related_model = relation.related_model
    if relation.many_to_many and relation.concrete:  # a ManyToManyField declared on ``model``
        back = relation.related_query_name()  # type: ignore[union-attr]
    else:  # the reverse side of a foreign key or many-to-many field
        back = relation.field.name  # type: ignore[union-attr]
    queryset = related_model._default_manager.filter(**{f"{back}__in": ids})  # type: ignore[union-attr]
    if spec.order_by:
        queryset = queryset.order_by(*spec.order_by)
    grouped: dict[Any, list[Any]] = {}
    for parent, pk in queryset.values_list(back, "pk"):
        grouped.setdefault(parent, []).append(pk)
    return grouped
