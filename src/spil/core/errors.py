"""Domain errors: raised by services, shown to the user as a Dutch message."""


class DomainError(Exception):
    """A business rule forbids what was asked. The message is shown to the user as is."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTransition(DomainError):
    status = 409


class ConcurrentEdit(DomainError):
    status = 409

    def __init__(self, message: str = "Dit is intussen gewijzigd door een ander. Herlaad de pagina en probeer het opnieuw."):
        super().__init__(message)


class NotAllowed(DomainError):
    status = 403
