"""A drawn picture that shows as a PNG in Jupyter, with or without ``%matplotlib inline``,
and the same bytes on every run."""

from __future__ import annotations

import base64
import io

__all__ = ["PNG_DPI", "png_bytes", "Picture"]

PNG_DPI = 100


def png_bytes(fig, dpi: int = PNG_DPI) -> bytes:
    """The PNG of a matplotlib Figure, rendered by Agg at ``dpi`` with no "Software"
    metadata: the same figure gives the same bytes on every run."""
    buf = io.BytesIO()
    fig.savefig(
        buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor=fig.get_facecolor()
    )
    return buf.getvalue()


class Picture:
    """A drawn explorer state: ``.figure`` (the matplotlib Figure) and ``.text`` (what it
    shows, in words). Jupyter displays it as a PNG (:func:`png_bytes`), with or without
    ``%matplotlib inline``; its text form is ``.text``."""

    def __init__(self, figure, text: str):
        self.figure = figure
        self.text = text

    def png(self) -> bytes:
        return png_bytes(self.figure)

    def _repr_png_(self) -> bytes:
        return self.png()

    def display_data(self) -> dict:
        """The picture as one ``display_data`` output (PNG in base64, ``.text`` as plain
        text), the form a notebook and an ``ipywidgets.Output`` store."""
        return {
            "output_type": "display_data",
            "data": {
                "image/png": base64.b64encode(self.png()).decode("ascii"),
                "text/plain": self.text,
            },
            "metadata": {},
        }

    def __repr__(self) -> str:
        return f"<Picture: {self.text}>"
