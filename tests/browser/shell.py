"""The page shell as a user meets it: `menu(page, label)` is the menu entry to click. On a phone a long
menu is folded behind «Danh mục» (web/base.html); the helper opens it first, as a user would."""


def menu(page, label: str):
    nav = page.get_by_role("navigation", name="Danh mục")
    fold = nav.locator("details.menu-fold")
    if fold.count() and fold.is_visible() and fold.get_attribute("open") is None:
        fold.locator("summary").click()
    return nav.get_by_role("link", name=label, exact=True)
