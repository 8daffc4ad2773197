// Package webtest is the harness the tests of the web packages share, as
// net/http/httptest is for handlers: a real server over a real store whose
// API answers are checked against openapi.json (NewServer), the UI with a
// browser-like client without JavaScript (NewUIServer, Client), the UI wired
// to the aggregator over the Powens sandbox (NewFlow), and the fixtures they
// run on. Only tests import it.
package webtest
