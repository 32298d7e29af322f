"""The XBlock/webob glue: handler decorators, the shared block base, Studio editor."""
