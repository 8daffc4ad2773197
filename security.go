package freenahi

import "time"

// SessionInfo is one sign-in session of a person, as the sessions list
// shows it: never its id, only a reference to revoke it by.
type SessionInfo struct {
	// Ref names the session for revoking; it cannot be used to sign in.
	Ref string
	// Device is the browser the session started from (its User-Agent).
	Device    string
	CreatedAt time.Time
	SeenAt    time.Time
}

// UserInfo is a user as the users page shows them to the administrator.
type UserInfo struct {
	User
	// Admin is true for the first user, who administers the others.
	Admin bool
	// Disabled is when the administrator disabled the account, if they did.
	Disabled *time.Time
	// TwoFactor says whether the user signs in with a second factor.
	TwoFactor bool
}

// Invite is an invitation to sign up that the administrator made. Only a
// hash of its token is stored; Token is set on creation only.
type Invite struct {
	Email     string
	InvitedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	Token     string
}

// TOTPState is a user's two-factor sign-in: the secret in clear (the store
// keeps it sealed), whether the person confirmed it, the last time step
// accepted (so a code is never accepted twice).
type TOTPState struct {
	Secret   string
	Enabled  bool
	LastStep int64
}

// Lifetimes of the links sent to people.
const (
	// PasswordResetTTL is how long a password reset link works.
	PasswordResetTTL = time.Hour
	// InviteTTL is how long an invitation works.
	InviteTTL = 7 * 24 * time.Hour
)
