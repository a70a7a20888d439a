from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Every list: `count`, `next`, `previous` and `results`, 25 per page (at most 100 with `page_size`)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Het totale aantal resultaten.", "example": 42},
                "next": {
                    **link,
                    "description": "De volgende pagina; leeg op de laatste.",
                    "example": "https://spil.example.nl/api/v1/acties?page=3",
                },
                "previous": {
                    **link,
                    "description": "De vorige pagina; leeg op de eerste.",
                    "example": "https://spil.example.nl/api/v1/acties?page=1",
                },
                "results": schema,
            },
        }
