package freenahi

import (
	"context"
	"time"
)

// ConnectionState is a Powens connection state; "" means the last sync succeeded.
// The set is open: Powens adds states, and unknown ones are handled by
// ConnectionState.Kind's default branch.
type ConnectionState string

// Connection states Powens documents.
const (
	StateOK                          ConnectionState = ""
	StateSCARequired                 ConnectionState = "SCARequired"
	StateWebauthRequired             ConnectionState = "webauthRequired"
	StateAdditionalInformationNeeded ConnectionState = "additionalInformationNeeded"
	StateDecoupled                   ConnectionState = "decoupled"
	StateValidating                  ConnectionState = "validating"
	StateActionNeeded                ConnectionState = "actionNeeded"
	StatePasswordExpired             ConnectionState = "passwordExpired"
	StateWrongpass                   ConnectionState = "wrongpass"
	StateRateLimiting                ConnectionState = "rateLimiting"
	StateWebsiteUnavailable          ConnectionState = "websiteUnavailable"
	StateBug                         ConnectionState = "bug"
	StateNotSupported                ConnectionState = "notSupported"
)

// StateKind classifies a state by what the person has to do about it.
type StateKind string

// State kinds.
const (
	StateKindOK         StateKind = "ok"
	StateKindUserAction StateKind = "user_action"    // the person can repair it here
	StateKindOutside    StateKind = "action_outside" // the person must act at the bank
	StateKindTransient  StateKind = "transient"      // Powens retries by itself
	StateKindFatal      StateKind = "fatal"          // not recoverable, including unknown states
)

// Kind returns the kind of s; unknown states are fatal, the safe default.
func (s ConnectionState) Kind() StateKind {
	switch s {
	case StateOK:
		return StateKindOK
	case StateSCARequired, StateWebauthRequired, StateAdditionalInformationNeeded,
		StateDecoupled, StateWrongpass, StatePasswordExpired:
		return StateKindUserAction
	case StateActionNeeded:
		return StateKindOutside
	case StateValidating, StateRateLimiting, StateWebsiteUnavailable, StateBug:
		return StateKindTransient
	}
	return StateKindFatal
}

// Connection is a link between a user and one institution at Powens.
type Connection struct {
	ID            int64
	UserID        int64
	PowensID      int64
	ConnectorID   *int64
	ConnectorUUID string
	BankName      string
	State         ConnectionState
	ErrorMessage  string
	LastUpdate    *time.Time
	Created       *time.Time
	Active        bool
	Expire        *time.Time
	NextTry       *time.Time
	// Deleted is set when Powens reported the connection deleted; its data is kept.
	Deleted   *time.Time
	Sources   []ConnectionSource
	UpdatedAt time.Time
}

// ConnectionSource is one source (openapi, directaccess…) of a connection.
type ConnectionSource struct {
	PowensID          int64
	Name              string
	ConnectorSourceID *int64
	State             ConnectionState
	LastUpdate        *time.Time
	Created           *time.Time
	Disabled          *time.Time
	// AccessExpire is when the person's consent (PSD2, about 180 days) ends.
	AccessExpire *time.Time
	Expire       *time.Time
	NextTry      *time.Time
}

// ConsentExpiry returns the earliest consent expiry among the enabled sources.
func (c *Connection) ConsentExpiry() *time.Time {
	var min *time.Time
	for i := range c.Sources {
		s := &c.Sources[i]
		if s.Disabled != nil || s.AccessExpire == nil {
			continue
		}
		if min == nil || s.AccessExpire.Before(*min) {
			min = s.AccessExpire
		}
	}
	return min
}

// ConnectionService reads connections, each scoped to one user.
type ConnectionService interface {
	// FindConnections returns the user's connections with their sources,
	// by id, those Powens deleted last; none is an empty list.
	FindConnections(ctx context.Context, userID int64) ([]*Connection, error)
	// FindConnectionByID returns the user's connection with its sources,
	// deleted or not; ENOTFOUND if it does not exist or belongs to another user.
	FindConnectionByID(ctx context.Context, userID, id int64) (*Connection, error)
}
