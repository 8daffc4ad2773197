package export

import (
	"context"
	"log/slog"

	"github.com/freenahi/freenahi"
	"github.com/freenahi/freenahi/jobs"
)

// JobInqomPush is the kind of the job behind the accounting page's "push
// now"; its result is a *freenahi.Next to the accounting page.
const JobInqomPush = "inqom.push"

// RegisterJobs registers the handler of the push job. The push runs
// detached from the job's deadline, as the API's does: a deadline must not
// cut an import and leave its outcome unknown. What went wrong shows in each
// mapping's state afterwards.
func (p *Pusher) RegisterJobs(r *jobs.Runner) {
	r.Handle(JobInqomPush, func(ctx context.Context, j *freenahi.Job) (any, error) {
		done := make(chan error, 1)
		go func() { done <- p.Push(context.WithoutCancel(ctx), j.UserID) }()
		next := &freenahi.Next{Step: freenahi.StepInqom, Notice: "inqom_pushed"}
		select {
		case err := <-done:
			if err != nil {
				p.init()
				p.Logger.Info("inqom push had problems", slog.Int64("user_id", j.UserID), slog.String("detail", freenahi.ErrorMessage(err)))
				next.Notice = "inqom_push_trouble"
			}
		case <-ctx.Done():
			next.Notice = "inqom_push_running"
		}
		return next, nil
	})
}
