-- The schema the warehouse tables live in (the first of the search_path).
SELECT current_schema();
