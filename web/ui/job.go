package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/aggregator"
	"github.com/freenahi/freenahi/web/request"
	"github.com/freenahi/freenahi/web/respond"
)

// Posting credentials makes Powens check them at the bank while the call
// waits, sometimes for minutes. So a form post starts a job (kept in the
// database, run by any instance) and the browser watches a progress page
// that polls it. The job's result is where to go next (a state screen, the
// bank's page) or an error in plain words; never a silent timeout.

// quickWait is how long a form post waits for its job before showing the
// progress page, so fast answers skip it.
const quickWait = 1500 * time.Millisecond

// jobLabels are the progress page's sentence per kind of job.
var jobLabels = map[string]string{
	aggregator.JobSubmitForm:    "job.credentials",
	aggregator.JobSendFields:    "job.answer",
	aggregator.JobResume:        "job.decoupled",
	aggregator.JobRetry:         "job.retry",
	aggregator.JobRepairWebauth: "job.webauth",
	aggregator.JobActivate:      "job.activate",
	aggregator.JobBackFromBank:  "job.pull",
	aggregator.JobSync:          "job.sync",
	jobInqomPush:                "job.inqom_push",
}

// runJob starts a job and answers the form post: straight to the result
// when it comes within quickWait, else to the progress page.
func (s *Handler) runJob(w http.ResponseWriter, r *http.Request, kind string, args any) {
	if s.Jobs == nil {
		respond.Error(w, r, freenahi.Errorf(freenahi.EUNAVAILABLE, "Background operations are not running on this server."))
		return
	}
	userID := request.User(r.Context()).ID
	j, err := s.Jobs.Start(r.Context(), userID, kind, args)
	if err == nil {
		j, err = s.Jobs.Wait(r.Context(), userID, j.ID, quickWait)
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	if j.Status == freenahi.JobDone {
		s.goNext(w, r, j)
		return
	}
	http.Redirect(w, r, "/connect/jobs/"+j.ID, http.StatusSeeOther)
}

// goNext redirects to where a finished job leads.
func (s *Handler) goNext(w http.ResponseWriter, r *http.Request, j *freenahi.Job) {
	next, err := nextOf(j)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	http.Redirect(w, r, nextURL(next), http.StatusSeeOther)
}

func nextOf(j *freenahi.Job) (*freenahi.Next, error) {
	var next freenahi.Next
	if err := json.Unmarshal(j.Result, &next); err != nil {
		return nil, err
	}
	return &next, nil
}

// nextURL is the page of a step.
func nextURL(n *freenahi.Next) string {
	keep := joinIDs(n.Keep)
	switch n.Step {
	case freenahi.StepForm:
		return formURL(n.ConnectorUUID, n.PowensConnectionID, n.Source, keep, n.Problem)
	case freenahi.StepState:
		return stateURL(n.PowensConnectionID, keep, n.Problem)
	case freenahi.StepAccounts:
		return activateURL(n.PowensConnectionID, keep, n.Problem)
	case freenahi.StepBank:
		return n.URL
	case freenahi.StepDone:
		return "/accounts?msg=flash.activated"
	case freenahi.StepConnections:
		return "/connections" + flashQuery(n.Notice)
	case freenahi.StepInqom:
		return "/inqom" + flashQuery(n.Notice)
	}
	return "/connections"
}

func flashQuery(notice string) string {
	if notice == "" {
		return ""
	}
	return "?msg=flash." + url.QueryEscape(notice)
}

// progressView is the progress page of a job.
type progressView struct {
	ID      string
	Label   string
	Elapsed int // seconds
	Limit   int // minutes
	Problem string
	// Retry is where to start the failed operation again, when there is a form.
	Retry string
}

func (s *Handler) handleJobView(w http.ResponseWriter, r *http.Request) {
	j, err := s.findJob(r)
	if freenahi.ErrorCode(err) == freenahi.ENOTFOUND {
		s.render(w, r, http.StatusNotFound, "progress", &page{Title: "progress.failed", Nav: "connections",
			Data: progressView{Problem: s.localeOf(r).T("progress.lost")}})
		return
	} else if err != nil {
		respond.Error(w, r, err)
		return
	}
	if j.Status == freenahi.JobDone {
		s.goNext(w, r, j)
		return
	}
	v := progressView{ID: j.ID, Label: jobLabels[j.Kind], Elapsed: int(s.Now().Sub(j.CreatedAt) / time.Second),
		Limit: int(j.Deadline.Sub(j.CreatedAt).Round(time.Minute) / time.Minute)}
	p := &page{Title: "progress.title", Nav: "connections", Data: &v}
	if j.Status == freenahi.JobFailed {
		p.Title = "progress.failed"
		v.Problem, v.Retry = s.problemText(r, j.Error), retryURL(j)
		s.render(w, r, http.StatusOK, "progress", p)
		return
	}
	p.Refresh = 2
	s.render(w, r, http.StatusAccepted, "progress", p)
}

func (s *Handler) findJob(r *http.Request) (*freenahi.Job, error) {
	if s.Jobs == nil {
		return nil, freenahi.Errorf(freenahi.ENOTFOUND, "Job not found.")
	}
	return s.Jobs.Find(r.Context(), request.User(r.Context()).ID, r.PathValue("id"))
}

// handleJobStatus is polled by the progress page's script.
func (s *Handler) handleJobStatus(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Done    bool   `json:"done"`
		Elapsed int    `json:"elapsed"`
		Next    string `json:"next,omitempty"`
	}{Done: true, Next: "/connect/jobs/" + url.PathEscape(r.PathValue("id"))}
	j, err := s.findJob(r)
	if err != nil && freenahi.ErrorCode(err) != freenahi.ENOTFOUND {
		respond.Error(w, r, err)
		return
	}
	if j != nil {
		out.Done, out.Elapsed = j.Status.Finished(), int(s.Now().Sub(j.CreatedAt)/time.Second)
		if next, err := nextOf(j); j.Status == freenahi.JobDone && err == nil {
			out.Next = nextURL(next)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	respond.JSON(w, r, http.StatusOK, out)
}

// keepList reads a comma-separated list of ids, keeping only valid ones.
func keepList(s string) []int64 {
	var ids []int64
	for part := range strings.SplitSeq(s, ",") {
		if n, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64); err == nil && n > 0 {
			ids = append(ids, n)
		}
	}
	return ids
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// retryURL is the form a failed connection job started from, or "".
func retryURL(j *freenahi.Job) string {
	var a aggregator.JobArgs
	if json.Unmarshal(j.Payload, &a) != nil {
		return ""
	}
	switch {
	case j.Kind == aggregator.JobSubmitForm && a.Form != nil:
		return formURL(a.Form.Connector.UUID, a.Form.PowensConnectionID, a.Form.Source, joinIDs(a.Form.Keep), "")
	case strings.HasPrefix(j.Kind, "connect.") && a.PowensConnectionID > 0:
		return stateURL(a.PowensConnectionID, joinIDs(a.Keep), "")
	}
	return ""
}
