"""The host (LMS/Studio or the demo) behind one adapter, and the rows we keep about its people."""
