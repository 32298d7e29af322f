def test_demo_page_loads(demo, new_page):
    page = new_page()
    page.goto(demo + "/scenario/blended.00-programme/?student=amina")
    assert page.locator(".bw-webinar h2").inner_text().startswith("Webinar 1")
