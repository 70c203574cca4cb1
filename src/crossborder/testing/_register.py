from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Entry point run by hypothesis: lets ``st.from_type(Money)`` draw valid Money."""
    from hypothesis import strategies as st

    from crossborder.money._money import Money

    def _money_strategy(_: type[Money]) -> st.SearchStrategy[Money]:
        from crossborder.testing._strategies import money

        return money()

    st.register_type_strategy(Money, _money_strategy)
