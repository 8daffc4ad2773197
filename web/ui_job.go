package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/freenahi/freenahi"
)

// Posting credentials makes Powens check them at the bank while the call
// waits, sometimes for minutes. So a form post starts a job: the Powens call
// runs server-side with its own timeout, not tied to the browser's request,
// and the browser watches a progress page that polls the job. The job's
// result is the page to go to next (a state screen, the bank's page) or an
// error in plain words; never a silent timeout.

// job is one background operation of a person.
type job struct {
	id      string
	userID  int64
	label   string // message key of what is being done
	started time.Time
	done    chan struct{}

	// Set once, before done closes.
	next     string
	err      error
	finished time.Time
}

// jobs is the registry of running and recently finished jobs, in memory:
// after a restart a progress page says so and points to the connections.
type jobs struct {
	mu   sync.Mutex
	byID map[string]*job
}

// Bounds of the job registry.
const (
	maxJobsPerUser = 4
	keepFinished   = 15 * time.Minute
	// quickWait is how long a form post waits for its job before showing the
	// progress page, so fast answers skip it.
	quickWait = 1500 * time.Millisecond
)

// startJob runs fn in the background for the signed-in person and returns
// the job. fn returns the URL to continue to.
func (s *Server) startJob(r *http.Request, label string, fn func(ctx context.Context) (string, error)) (*job, error) {
	userID := userFrom(r.Context()).ID
	j := &job{id: randomToken(), userID: userID, label: label, started: s.Now(), done: make(chan struct{})}
	if err := s.ui.jobs.add(j, s.Now()); err != nil {
		return nil, err
	}
	// The request's values (logger, request id) stay; its cancellation does
	// not: the person closing the tab must not abort a bank call half-way.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), s.UI.JobTimeout)
	log := loggerFrom(r.Context(), s.Logger).With(slog.String("job", label))
	go func() {
		defer cancel()
		defer func() {
			if v := recover(); v != nil {
				log.Error("job panicked", slog.String("panic", fmt.Sprint(v)))
				s.ui.jobs.finish(j, "", fmt.Errorf("job panicked: %v", v), s.Now())
			}
		}()
		next, err := fn(ctx)
		if err != nil && ctx.Err() == context.DeadlineExceeded {
			err = errJobTimeout
		}
		if freenahi.ErrorCode(err) == freenahi.EINTERNAL {
			log.Error("job failed", slog.Any("error", err))
		}
		s.ui.jobs.finish(j, next, err, s.Now())
	}()
	return j, nil
}

// errJobTimeout is reported when a job outlived JobTimeout.
var errJobTimeout = freenahi.Errorf(freenahi.EUNAVAILABLE, "timeout")

func (js *jobs) add(j *job, now time.Time) error {
	js.mu.Lock()
	defer js.mu.Unlock()
	running := 0
	for id, o := range js.byID {
		switch {
		case !o.finished.IsZero() && now.Sub(o.finished) > keepFinished:
			delete(js.byID, id)
		case o.userID == j.userID && o.finished.IsZero():
			running++
		}
	}
	if running >= maxJobsPerUser {
		return freenahi.Errorf(freenahi.ECONFLICT, "Several operations are already running; wait for them to finish.")
	}
	js.byID[j.id] = j
	return nil
}

func (js *jobs) finish(j *job, next string, err error, now time.Time) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if !j.finished.IsZero() {
		return
	}
	j.next, j.err, j.finished = next, err, now
	close(j.done)
}

// find returns a job of the user; another person's job is not found.
func (js *jobs) find(id string, userID int64) *job {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j := js.byID[id]; j != nil && j.userID == userID {
		return j
	}
	return nil
}

// state reads a job's result under the lock.
func (js *jobs) state(j *job) (finished bool, next string, err error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	return !j.finished.IsZero(), j.next, j.err
}

// runJob starts a job and answers the form post: straight to the result
// when it comes within quickWait, else to the progress page.
func (s *Server) runJob(w http.ResponseWriter, r *http.Request, label string, fn func(ctx context.Context) (string, error)) {
	j, err := s.startJob(r, label, fn)
	if err != nil {
		s.uiError(w, r, err)
		return
	}
	select {
	case <-j.done:
	case <-time.After(quickWait):
	}
	if done, next, err := s.ui.jobs.state(j); done && err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/connect/jobs/"+j.id, http.StatusSeeOther)
}

// progressView is the progress page of a job.
type progressView struct {
	ID      string
	Label   string
	Elapsed int // seconds
	Limit   int // minutes
	Problem string
}

func (s *Server) handleJobView(w http.ResponseWriter, r *http.Request) {
	j := s.ui.jobs.find(r.PathValue("id"), userFrom(r.Context()).ID)
	if j == nil {
		s.render(w, r, http.StatusNotFound, "progress", &page{Title: "progress.title", Nav: "connections",
			Data: progressView{Problem: s.localeOf(r).T("progress.lost")}})
		return
	}
	done, next, err := s.ui.jobs.state(j)
	if done && err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	v := progressView{ID: j.id, Label: j.label, Elapsed: int(s.Now().Sub(j.started) / time.Second),
		Limit: int(s.UI.JobTimeout / time.Minute)}
	p := &page{Title: "progress.title", Nav: "connections", Data: &v}
	if done {
		v.Problem = s.problemText(r, err)
		s.render(w, r, http.StatusOK, "progress", p)
		return
	}
	p.Refresh = 2
	s.render(w, r, http.StatusAccepted, "progress", p)
}

// handleJobStatus is polled by the progress page's script.
func (s *Server) handleJobStatus(w http.ResponseWriter, r *http.Request) {
	j := s.ui.jobs.find(r.PathValue("id"), userFrom(r.Context()).ID)
	out := struct {
		Done    bool   `json:"done"`
		Elapsed int    `json:"elapsed"`
		Next    string `json:"next,omitempty"`
	}{Done: true, Next: "/connect/jobs/" + r.PathValue("id")}
	if j != nil {
		done, next, err := s.ui.jobs.state(j)
		out.Done, out.Elapsed = done, int(s.Now().Sub(j.started)/time.Second)
		if done && err == nil {
			out.Next = next
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusOK, out)
}
