"""The demo host: the XBlock SDK workbench with a full blended programme (`make demo`)."""
