package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// state is everything the sandbox knows; it is guarded by Server.mu and is
// what StatePath persists. Fields are exported only for encoding/json.
type state struct {
	Seq          sequences
	Users        map[int64]*user
	Tokens       map[string]*token // by bearer value
	Codes        map[string]*token // temporary codes, by value
	Connections  map[int64]*connection
	Accounts     map[int64]*account
	Held         []*delivery // webhooks of users not yet permanent
	Pending      []*delivery // webhooks not yet acknowledged
	KeyPKCS8     []byte      `json:",omitempty"`
	BigInStorage int         // live "big" connections, bounded to keep memory in check
}

// sequences are the id counters; deterministic ids keep runs reproducible.
type sequences struct {
	User, Connection, Source, Account, Transaction, Investment, Webhook int64
}

type user struct {
	ID        int64
	Signin    time.Time
	Permanent bool
	Expires   time.Time // temporary users are purged after it
}

// token is a bearer token or a temporary code.
type token struct {
	UserID    int64
	Permanent bool
	Single    bool      // singleAccess code: consumed by its first use
	Expires   time.Time // zero for permanent tokens
	Created   time.Time
}

type connection struct {
	ID, UserID, ConnectorID int64
	Script                  string // the scripted behaviour, from the login (see doc.go)
	Armed                   bool   // sca/webauth: the next sync fails
	Website                 string
	State                   string // "" is null: last sync succeeded
	ErrorMessage            string
	NeedsOTP                bool
	Created, LastUpdate     time.Time
	LastPush, NextTry       time.Time
	Syncs                   int  // successful syncs so far
	Inactive                bool // automatic syncs disabled (active=false)
	PartialSent             bool // "partial": its partial_history push went out
	Reissued                int  // "reissue": transactions re-issued so far
	Sources                 []*connSource
}

type connSource struct {
	ID, ConnectorSourceID int64
	Name                  string
	State                 string
	Created, LastUpdate   time.Time
	Ready                 bool // authenticated at least once: its accounts exist
}

type account struct {
	ID, ConnectionID, UserID, SourceID, ParentID int64
	Slot                                         int // index in the bank profile's accounts
	Name                                         string
	Display, Bookmarked                          bool
	Usage                                        string
	Disabled, Deleted, LastUpdate                time.Time
	Number, IBAN                                 string
	Revealed                                     time.Time // events up to this instant are stored
	Txns                                         []*txn
	InvIDs                                       []int64 // ids of the investment lines, in order
	InvAnnounced                                 int     // date (YYYYMMDD) of the last valuation sent
}

// txn is a stored transaction: what the bank has shown so far.
type txn struct {
	ID                  int64
	Date, RDate         int // YYYYMMDD
	At                  time.Time
	Minor               int64
	Type, Label, Simple string
	Card                bool
	CP                  *counterparty `json:",omitempty"`
	Split               *grossSplit   `json:",omitempty"` // value null: gross value and commission
	Coming, Cancel      bool
	Scraped, LastUpdate time.Time
	Deleted             time.Time
	Announced           bool  // sent in a CONNECTION_SYNCED already
	Reissued            bool  `json:",omitempty"` // shown again under a new id ("reissue")
	ReissuedFrom        int64 `json:",omitempty"` // the id this one replaces
}

type counterparty struct{ Label, IBAN, Type string }

func newState() *state {
	return &state{
		Seq:   sequences{User: 0, Connection: 0, Account: 0, Transaction: 0},
		Users: map[int64]*user{}, Tokens: map[string]*token{}, Codes: map[string]*token{},
		Connections: map[int64]*connection{}, Accounts: map[int64]*account{},
	}
}

// loadState reads path, or starts empty when path is "" or does not exist yet.
func loadState(path string) (*state, error) {
	st := newState()
	if path == "" {
		return st, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return st, nil
}

// save writes the state atomically (temporary file, then rename), 0600
// because it holds tokens and the private key.
func (s *Server) save() error {
	if s.cfg.StatePath == "" {
		return nil
	}
	s.mu.Lock()
	b, err := json.Marshal(s.st)
	s.dirty = false
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.cfg.StatePath), ".sandbox-state-*")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	return os.Rename(tmp.Name(), s.cfg.StatePath)
}

// saveLoop saves at most every two seconds while the state changes, so a
// burst of requests costs one write.
func (s *Server) saveLoop() {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			dirty := s.dirty
			s.mu.Unlock()
			if dirty {
				if err := s.save(); err != nil {
					s.log.Error("sandbox save", slog.Any("error", err))
				}
			}
		}
	}
}

// touch marks the state as changed; call with s.mu held.
func (s *Server) touch() { s.dirty = true }
