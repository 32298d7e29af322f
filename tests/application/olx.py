"""The IOM call of issue 12, with its deadline moved as a test needs."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

CALL = """<blended_application url_name="call" display_name="Apply for the training"
    opens="{opens}" deadline="{deadline}" timezone="Europe/Zurich"
    places="{places}" waitlist="true" offer_days="7" cohort="selected">
  <description><p>Practitioners of reintegration in the Sahel and Lake Chad.</p></description>
  <question id="role" kind="choice" required="true" label="Your organisation type">
    <choice value="ngo">Local NGO</choice><choice value="authority">National or local authority</choice>
  </question>
  <question id="experience" kind="number" required="true" label="Years of work in reintegration" min="0" max="60"/>
  <question id="eligible" kind="yes_no" required="true" must_be="yes" label="I can take part from May to June 2022"/>
  <question id="motivation" kind="text" required="true" max_length="3000" label="Why do you apply?"/>
  <question id="cv" kind="file" required="false" label="CV (PDF)" types="pdf" max_mb="5"/>
  <criterion id="exp" label="Experience in reintegration" points="5"/>
  <criterion id="plan" label="Plan to use the training" points="5"/>
</blended_application>"""


def local(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).astimezone(ZoneInfo("Europe/Zurich")).strftime("%Y-%m-%dT%H:%M")


def call(places=2, deadline_minutes=24 * 60, opens_minutes=-60) -> str:
    return CALL.format(places=places, deadline=local(deadline_minutes), opens=local(opens_minutes))


GOOD = {"role": "ngo", "experience": 3, "eligible": "yes", "motivation": "I run returnee counselling in Agadez."}
