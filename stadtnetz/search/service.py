"""The Flask side of search: the registry of searchable kinds, facet labels, audiences, and
``search``/``more_like_this``/``suggest`` for a viewer (see the contract)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..directory.models import LAENDER, SizeClass
from .indexing import engine, install_listeners, is_pending, queue_reindex, registry
from .results import FacetValue, Hit, Results

__all__ = ["audience_provider", "facet_labels", "is_pending", "more_like_this", "queue_reindex", "search",
           "searchable", "suggest"]

DEFAULT_FACETS = ("kind", "topic", "land", "size_class", "status", "funding", "cost_range", "origin")

_labels: dict[str, Callable[[], dict[str, Any]]] = {}
_audience_providers: list[Callable[[Any], set[str]]] = []


def searchable(kind: str, label: Any, mixed: bool = True) -> Callable[[type], type]:
    """Class decorator: index instances of this model under ``kind``, shown as ``label``.

    A kind that is not ``mixed`` (providers' offers) is found only when a search asks for it.
    """

    def register(model: type) -> type:
        model.__search_kind__ = kind
        model.__search_mixed__ = mixed
        registry[kind] = (model, label)
        install_listeners()
        return model

    return register


def facet_labels(name: str, labels: Callable[[], dict[str, Any]]) -> None:
    """Register how the values of facet ``name`` are shown (called when shown, so translated)."""
    _labels[name] = labels


def audience_provider(provider: Callable[[Any], set[str]]) -> Callable[[Any], set[str]]:
    """Register ``provider(user) -> set`` of audiences a signed-in user belongs to."""
    _audience_providers.append(provider)
    return provider


def audiences_for(user) -> frozenset[str]:
    """Everything ``user`` may see: "public" plus what the providers grant a signed-in user."""
    audiences = {"public"}
    if user is not None and user.is_authenticated:
        for provider in _audience_providers:
            audiences |= set(provider(user))
    return frozenset(audiences)


def search(q: str = "", kinds: Sequence[str] | None = None, filters: dict[str, list[str]] | None = None,
           user=None, sort: str = "relevance", page: int = 1, per_page: int = 20,
           facets: Iterable[str] = DEFAULT_FACETS) -> Results:
    """Search the index as ``user`` sees it; facet values carry their labels. Without
    ``kinds``, every kind that mixes into general results."""
    kinds = kinds or [kind for kind, (model, _label) in registry.items() if model.__search_mixed__]
    results = engine().search(q, kinds=kinds, filters=filters, audiences=audiences_for(user),
                              sort=sort, page=page, per_page=per_page, facets=tuple(facets))
    for name, values in results.facets.items():
        labels = _label_map(name)
        results.facets[name] = [FacetValue(v.value, str(labels.get(v.value, v.value)), v.count)
                                for v in values]
    _label_hits(results.hits)
    return results


def more_like_this(kind: str, id: int, user=None, kinds: Sequence[str] | None = None,
                   limit: int = 5) -> list[Hit]:
    """Documents like ``kind:id`` that ``user`` may see."""
    hits = engine().more_like_this(f"{kind}:{id}", audiences=audiences_for(user), kinds=kinds,
                                   limit=limit)
    return _label_hits(hits)


def suggest(prefix: str, user=None, limit: int = 8) -> list[str]:
    """Completions for the search box, from documents ``user`` may see."""
    return engine().suggest(prefix, audiences=audiences_for(user), limit=limit)


def _label_map(name: str) -> dict[str, Any]:
    if name == "kind":
        return {kind: label for kind, (_model, label) in registry.items()}
    provider = _labels.get(name)
    return provider() if provider else {}


def _label_hits(hits: list[Hit]) -> list[Hit]:
    kinds = _label_map("kind")
    for hit in hits:
        hit.kind_label = str(kinds.get(hit.kind, hit.kind))
    return hits


facet_labels("land", lambda: {key: name for key, (name, _abbreviation) in LAENDER.items()})
facet_labels("size_class", lambda: {size.slug: size.label for size in SizeClass})
