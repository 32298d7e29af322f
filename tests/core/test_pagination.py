"""One page of a list, counted apart only when its rows cannot tell the total (core.pagination)."""
import pytest

from blended_xblocks.core.pagination import paginate, read_page


class Rows(list):
    """An ordered list that records what a page asked of it, as a queryset would query."""

    def __init__(self, count):
        super().__init__(range(1, count + 1))
        self.reads = []

    def __getitem__(self, index):
        self.reads.append("slice")
        return super().__getitem__(index)

    def count(self):
        self.reads.append("count")
        return len(self)


@pytest.mark.parametrize("count, page, shown_page, rows, total, reads", [
    (7, 1, 1, [1, 2, 3, 4, 5], 7, ["slice", "count"]),           # a full first page: counted
    (3, 1, 1, [1, 2, 3], 3, ["slice"]),                          # a partial page tells its total
    (7, 2, 2, [6, 7], 7, ["slice"]),
    (0, 1, 1, [], 0, ["slice"]),                                 # an empty list: no count
    (7, 9, 2, [6, 7], 7, ["slice", "count", "slice"]),           # past the end: the last page
    (10, 3, 2, [6, 7, 8, 9, 10], 10, ["slice", "count", "slice"]),
    (10, 2, 2, [6, 7, 8, 9, 10], 10, ["slice", "count"]),        # a full last page is counted
    (7, 0, 1, [1, 2, 3, 4, 5], 7, ["slice", "count"]),           # page 0 or less: the first
    (7, -3, 1, [1, 2, 3, 4, 5], 7, ["slice", "count"]),
])
def test_a_page_is_read_once_and_counted_only_when_its_rows_cannot_tell(count, page, shown_page, rows, total, reads):
    listed = Rows(count)
    shown, found = read_page(listed, page, 5, count=listed.count)
    assert (shown.number, found, shown.total) == (shown_page, rows, total)
    assert listed.reads == reads


def test_a_total_riding_on_the_rows_needs_no_count():
    listed = Rows(12)
    shown, found = read_page(listed, 2, 5, count=listed.count, total_on_row=lambda row: 12)
    assert (shown.number, shown.num_pages, found) == (2, 3, [6, 7, 8, 9, 10])
    assert listed.reads == ["slice"]


@pytest.mark.parametrize("page, shown_page, rows, reads", [
    (1, 1, [], ["slice"]),                                        # an empty list: no row to carry it
    (4, 3, [11, 12], ["slice", "count", "slice"]),                # past the end: the last page
])
def test_a_total_riding_on_rows_is_counted_when_the_page_has_none(page, shown_page, rows, reads):
    listed = Rows(12 if rows else 0)
    shown, found = read_page(listed, page, 5, count=listed.count, total_on_row=lambda row: 12)
    assert (shown.number, found, shown.total) == (shown_page, rows, 12 if rows else 0)
    assert listed.reads == reads


def test_rows_deleted_between_the_page_and_its_count_still_show():
    listed = Rows(10)
    shown, found = read_page(listed, 2, 5, count=lambda: 7)  # three rows deleted in between
    assert (shown.number, found, shown.total, shown.num_pages) == (2, [6, 7, 8, 9, 10], 10, 2)


def test_paginate_answers_the_documented_shape():
    assert paginate(list(range(1, 8)), 5, 3, "posts") == {
        "posts": [7], "page": 3, "page_size": 3, "total": 7, "num_pages": 3}
