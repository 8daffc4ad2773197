// Package metrics defines freenahi's Prometheus metrics on a registry of its
// own (no global state), served at /metrics.
package metrics

import (
	"context"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds the collectors. Its methods are safe for concurrent use.
type Metrics struct {
	Registry *prometheus.Registry

	webhooksReceived  *prometheus.CounterVec
	webhooksRejected  *prometheus.CounterVec
	eventsProcessed   *prometheus.CounterVec
	eventsFailed      *prometheus.CounterVec
	processingLag     *prometheus.HistogramVec
	processingSeconds *prometheus.HistogramVec
	httpRequests      *prometheus.CounterVec
	httpDuration      *prometheus.HistogramVec
}

// New creates the metrics; inbox, when given, is read at each scrape for the
// inbox depth and the age of the oldest unprocessed event.
func New(inbox freenahi.InboxService) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.webhooksReceived = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "freenahi_webhooks_received_total", Help: "Webhook deliveries stored in the inbox, by event and outcome (new or duplicate).",
	}, []string{"event", "outcome"})
	m.webhooksRejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "freenahi_webhooks_rejected_total", Help: "Webhook deliveries refused, by event and reason; nothing was stored.",
	}, []string{"event", "reason"})
	m.eventsProcessed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "freenahi_events_processed_total", Help: "Inbox events processed successfully, by event.",
	}, []string{"event"})
	m.eventsFailed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "freenahi_events_failed_total", Help: "Inbox event processing failures, by event and whether the event was given up (final) or will be retried.",
	}, []string{"event", "final"})
	m.processingLag = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "freenahi_event_processing_lag_seconds", Help: "Time from webhook receipt to the end of its processing.",
		Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 1800, 3600},
	}, []string{"event"})
	m.processingSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "freenahi_event_processing_seconds", Help: "Time spent processing one event.",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
	}, []string{"event"})
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "freenahi_http_requests_total", Help: "HTTP requests by route pattern and status code.",
	}, []string{"route", "code"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "freenahi_http_request_seconds", Help: "HTTP request duration by route pattern.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 3, 10),
	}, []string{"route"})
	m.Registry.MustRegister(m.webhooksReceived, m.webhooksRejected, m.eventsProcessed, m.eventsFailed,
		m.processingLag, m.processingSeconds, m.httpRequests, m.httpDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if inbox != nil {
		m.Registry.MustRegister(&inboxCollector{inbox: inbox})
	}
	return m
}

// WebhookReceived counts a stored delivery.
func (m *Metrics) WebhookReceived(event string, duplicate bool) {
	outcome := "new"
	if duplicate {
		outcome = "duplicate"
	}
	m.webhooksReceived.WithLabelValues(event, outcome).Inc()
}

// WebhookRejected counts a refused delivery.
func (m *Metrics) WebhookRejected(event, reason string) {
	m.webhooksRejected.WithLabelValues(event, reason).Inc()
}

// EventProcessed implements ingest.Observer.
func (m *Metrics) EventProcessed(event string, lag, took time.Duration) {
	m.eventsProcessed.WithLabelValues(event).Inc()
	m.processingLag.WithLabelValues(event).Observe(lag.Seconds())
	m.processingSeconds.WithLabelValues(event).Observe(took.Seconds())
}

// EventFailed implements ingest.Observer.
func (m *Metrics) EventFailed(event string, final bool) {
	f := "false"
	if final {
		f = "true"
	}
	m.eventsFailed.WithLabelValues(event, f).Inc()
}

// HTTPRequest records one served request.
func (m *Metrics) HTTPRequest(route string, code int, took time.Duration) {
	m.httpRequests.WithLabelValues(route, statusText(code)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(took.Seconds())
}

func statusText(code int) string {
	if code < 100 || code > 999 {
		return "other"
	}
	return strconv.Itoa(code)
}

// inboxCollector reads the inbox depth at scrape time, so the figures are
// right even with several instances sharing one database.
type inboxCollector struct {
	inbox freenahi.InboxService
}

var (
	inboxDepthDesc = prometheus.NewDesc("freenahi_inbox_events", "Inbox events not yet processed, by status.", []string{"status"}, nil)
	inboxAgeDesc   = prometheus.NewDesc("freenahi_inbox_oldest_pending_seconds", "Age of the oldest pending or processing inbox event (0 when none).", nil, nil)
	inboxUpDesc    = prometheus.NewDesc("freenahi_inbox_scrape_ok", "1 if the inbox could be read at this scrape.", nil, nil)
)

func (c *inboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- inboxDepthDesc
	ch <- inboxAgeDesc
	ch <- inboxUpDesc
}

func (c *inboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	st, err := c.inbox.InboxStats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(inboxUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(inboxUpDesc, prometheus.GaugeValue, 1)
	for status, n := range st.Depth {
		ch <- prometheus.MustNewConstMetric(inboxDepthDesc, prometheus.GaugeValue, float64(n), string(status))
	}
	ch <- prometheus.MustNewConstMetric(inboxAgeDesc, prometheus.GaugeValue, st.OldestAge.Seconds())
}
