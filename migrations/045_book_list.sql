-- The book list's filter "books needing action" (src/db/book-dashboard.ts listBookOverviews) finds the books
-- with pages to scan again, refused or failed through this index, not by reading every page of 10^4 books.
create index page_problem on page (book_id) where status in ('needs_rescan', 'rejected', 'failed');
