package notify

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/freenahi/freenahi"
)

// Windows of the conditions.
const (
	consentWarning = 7 * 24 * time.Hour // consent expiring within
	syncFailingFor = 24 * time.Hour     // no successful sync for
	debitLookBack  = 3                  // days of transactions a large debit is looked for in
	weeklyFromHour = 8                  // Monday's summary is sent from this local hour
)

// needsPerson are the connection states that only the person can repair,
// each with the words of its message.
var needsPerson = map[freenahi.ConnectionState]string{
	freenahi.StateSCARequired:                 "notify.state.sca",
	freenahi.StateWebauthRequired:             "notify.state.webauth",
	freenahi.StateWrongpass:                   "notify.state.wrongpass",
	freenahi.StateActionNeeded:                "notify.state.action",
	freenahi.StatePasswordExpired:             "notify.state.expired",
	freenahi.StateAdditionalInformationNeeded: "notify.state.info",
}

// conditions derives the person's current conditions from stored state, in
// their language, each with its dedup key. Lasting conditions (a
// connection to repair, syncs failing, a low balance) carry the local day
// in their key and are told again each day they last; events (a debit, a
// refused file, a consent's coming end, a week) are told once.
func (s *Service) conditions(ctx context.Context, u *freenahi.User, p *freenahi.NotificationPrefs, l Localizer, now time.Time) ([]*freenahi.Notification, error) {
	local := now.In(l.Zone())
	day := freenahi.DateOf(local).String()
	var out []*freenahi.Notification
	add := func(kind freenahi.NotificationKind, key, path, subject, body string) {
		out = append(out, &freenahi.Notification{Kind: kind, DedupKey: key, Subject: subject, Body: body, Link: s.link(path)})
	}

	conns, err := s.Store.FindConnections(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	needing := 0
	for _, c := range conns {
		if c.Deleted != nil {
			continue
		}
		id := strconv.FormatInt(c.ID, 10)
		bank := c.BankName
		if bank == "" {
			bank = l.T("notify.a_bank")
		}
		if what, ok := needsPerson[c.State]; ok {
			needing++
			body := l.T(what, bank)
			if c.ErrorMessage != "" {
				body += "\n" + l.T("notify.bank_says", c.ErrorMessage)
			}
			add(freenahi.NotifyConnectionAction, "connection:"+id+":"+string(c.State)+":"+day,
				"/connections/"+id+"/repair", l.T("notify.connection.subject", bank), body)
			continue
		}
		if exp := c.ConsentExpiry(); exp != nil && exp.After(now) && exp.Sub(now) <= consentWarning {
			days := int(exp.Sub(now).Hours()/24 + 0.999) // whole days left, rounded up
			add(freenahi.NotifyConsentExpiring, "consent:"+id+":"+strconv.FormatInt(exp.Unix(), 10), "/connections",
				l.T("notify.consent.subject", bank), l.T("notify.consent.body", days, bank, when(l, exp)))
		}
		if c.State.Kind() == freenahi.StateKindTransient || c.State.Kind() == freenahi.StateKindFatal {
			last := c.LastUpdate
			if last == nil {
				last = c.Created
			}
			if last != nil && now.Sub(*last) > syncFailingFor {
				add(freenahi.NotifySyncFailing, "sync:"+id+":"+day, "/connections",
					l.T("notify.sync.subject", bank), l.T("notify.sync.body", bank, when(l, last)))
			}
		}
	}

	accounts, err := s.Store.FindAccounts(ctx, freenahi.AccountFilter{UserID: u.ID})
	if err != nil {
		return nil, err
	}
	if p.LowBalance != nil {
		for _, a := range accounts {
			// The accounts the person counts (not hidden, archived or
			// deleted), in the group they chose for it.
			if !a.Counted() || a.BalanceMinor == nil || a.Group() != freenahi.GroupChecking {
				continue
			}
			limit, err := p.LowBalance.MinorBound(a.Currency.Exponent, true)
			if err != nil || *a.BalanceMinor >= limit {
				continue
			}
			id := strconv.FormatInt(a.ID, 10)
			add(freenahi.NotifyLowBalance, "balance:"+id+":"+day, "/accounts/"+id,
				l.T("notify.balance.subject", a.Title()),
				l.T("notify.balance.body", a.Title(), l.Money(*a.BalanceMinor, a.Currency), l.Money(limit, a.Currency)))
		}
	}
	if p.LargeDebit != nil && !p.LargeDebit.IsZero() {
		names := map[int64]*freenahi.Account{}
		for _, a := range accounts {
			names[a.ID] = a
		}
		from := freenahi.DateOf(local).AddDays(-debitLookBack)
		max := negate(*p.LargeDebit)
		txs, _, err := s.Store.FindTransactions(ctx, freenahi.TransactionFilter{UserID: u.ID, From: &from, MaxAmount: &max, Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, t := range txs {
			account := ""
			if a := names[t.AccountID]; a != nil {
				account = a.Name
			}
			amount := l.Money(-t.ValueMinor, t.Currency)
			add(freenahi.NotifyLargeDebit, "debit:"+strconv.FormatInt(t.ID, 10),
				"/accounts/"+strconv.FormatInt(t.AccountID, 10),
				l.T("notify.debit.subject", amount),
				l.T("notify.debit.body", amount, t.Label(), account, l.Date(t.Date)))
		}
	}

	mappings, err := s.Store.FindInqomMappings(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range mappings {
		batches, err := s.Store.FindExportBatches(ctx, u.ID, m.ID, 20)
		if err != nil {
			return nil, err
		}
		for _, b := range batches {
			if b.Status != freenahi.BatchFailed && b.Status != freenahi.BatchReview {
				continue
			}
			id := strconv.FormatInt(b.ID, 10)
			body := l.T("notify.inqom.refused", b.Filename, m.DossierID)
			if b.Status == freenahi.BatchReview {
				body = l.T("notify.inqom.unknown", b.Filename, m.DossierID)
			}
			add(freenahi.NotifyInqomFile, "inqom:"+id+":"+string(b.Status), "/inqom/batches/"+id+"/resolve",
				l.T("notify.inqom.subject", b.Filename), body)
		}
	}

	over, err := s.budgetsExceeded(ctx, u, l, local)
	if err != nil {
		return nil, err
	}
	out = append(out, over...)

	if local.Weekday() == time.Monday && local.Hour() >= weeklyFromHour {
		n, err := s.weekly(ctx, u, accounts, needing, l, local)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// budgetsExceeded tells of each budget this month has gone over: once per
// budget, month and amount, so raising the amount and going over again is
// told again, but a budget that stays over is not told every day.
func (s *Service) budgetsExceeded(ctx context.Context, u *freenahi.User, l Localizer, local time.Time) ([]*freenahi.Notification, error) {
	month := freenahi.MonthStart(freenahi.DateOf(local))
	progress, err := s.Store.BudgetProgress(ctx, u.ID, month)
	if err != nil || len(progress) == 0 {
		return nil, err
	}
	cats, err := s.Store.FindCategories(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, c := range cats {
		names[c.ID] = c.Name
		if tr := l.T("category." + c.Key); !c.Renamed && c.Key != "" && tr != "category."+c.Key {
			names[c.ID] = tr
		}
	}
	var out []*freenahi.Notification
	for _, p := range progress {
		if !p.Over() {
			continue
		}
		b, cur := p.Budget, p.Budget.Currency
		name := names[b.CategoryID]
		out = append(out, &freenahi.Notification{Kind: freenahi.NotifyBudgetExceeded,
			DedupKey: fmt.Sprintf("budget:%d:%s:%d", b.ID, month.String()[:7], b.AmountMinor),
			Subject:  l.T("notify.budget.subject", name),
			Body:     l.T("notify.budget.body", l.Money(p.SpentMinor, cur), name, l.Money(p.AvailableMinor, cur), l.Money(-p.LeftMinor, cur)),
			Link:     s.link("/budgets")})
	}
	return out, nil
}

// weekly is Monday's summary: balances by currency of the active accounts,
// the transactions of the last seven days, the connections needing the person.
func (s *Service) weekly(ctx context.Context, u *freenahi.User, accounts []*freenahi.Account, needing int, l Localizer, local time.Time) (*freenahi.Notification, error) {
	active := 0
	totals := map[string]int64{}
	currencies := map[string]freenahi.Currency{}
	var order []string
	for _, a := range accounts {
		if a.Disabled != nil || a.BalanceMinor == nil {
			continue
		}
		active++
		if _, ok := currencies[a.Currency.Code]; !ok {
			currencies[a.Currency.Code] = a.Currency
			order = append(order, a.Currency.Code)
		}
		totals[a.Currency.Code] += *a.BalanceMinor
	}
	from := freenahi.DateOf(local).AddDays(-7)
	count, err := s.countTransactions(ctx, u.ID, from, 5000)
	if err != nil {
		return nil, err
	}
	body := l.T("notify.weekly.accounts", active)
	for _, code := range order {
		body += "\n  " + l.Money(totals[code], currencies[code])
	}
	body += "\n" + l.T("notify.weekly.transactions", count, l.Date(from))
	if needing > 0 {
		body += "\n" + l.T("notify.weekly.needing", needing)
	}
	year, week := local.ISOWeek()
	return &freenahi.Notification{Kind: freenahi.NotifyWeeklySummary, DedupKey: fmt.Sprintf("weekly:%d-W%02d", year, week),
		Subject: l.T("notify.weekly.subject", l.Date(freenahi.DateOf(local))), Body: body, Link: s.link("/accounts")}, nil
}

// countTransactions counts the person's transactions dated from from, up to max.
func (s *Service) countTransactions(ctx context.Context, userID int64, from freenahi.Date, max int) (int, error) {
	n := 0
	f := freenahi.TransactionFilter{UserID: userID, From: &from, Limit: freenahi.MaxPageLimit}
	for n < max {
		page, next, err := s.Store.FindTransactions(ctx, f)
		if err != nil {
			return 0, err
		}
		n += len(page)
		if next == nil {
			break
		}
		f.After = next
	}
	return n, nil
}

// negate returns -d, exactly.
func negate(d freenahi.Decimal) freenahi.Decimal {
	return freenahi.MustParseDecimal("-" + d.String())
}

// when is an instant with its time zone, since a mail is read anywhere.
func when(l Localizer, t *time.Time) string {
	return l.Time(t) + " " + t.In(l.Zone()).Format("MST")
}
