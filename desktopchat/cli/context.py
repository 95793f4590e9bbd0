"""What one command may use, built on first use: folders, settings, the history, the keyring.

Nothing is opened before a command asks for it, so `profiles` never touches the database
and `history list` never loads the keyring. The GUI may be running on the same folders:
the history is SQLite in WAL mode (a reader never waits, a writer waits up to the busy
timeout), and settings are written atomically.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desktopchat.paths import AppPaths, app_paths

from .terminal import Terminal

if TYPE_CHECKING:
    import ssl

    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Profile, Settings, SettingsStore
    from desktopchat.storage.store import HistoryStore

    from .warmup import Warmup


class Context:
    def __init__(
        self, args: argparse.Namespace, terminal: Terminal, warmup: Warmup | None = None
    ) -> None:
        self.args = args
        self.terminal = terminal
        self._warmup = warmup
        self._paths: AppPaths | None = None
        self._store: HistoryStore | None = None
        self._settings: Settings | None = None
        self._secrets: SecretStore | None = None

    @property
    def paths(self) -> AppPaths:
        if self._paths is None:
            self._paths = app_paths(self.args.basedir).ensure()
        return self._paths

    def settings_store(self) -> SettingsStore:
        from desktopchat.settings import SettingsStore

        return SettingsStore(self.paths.settings_file)

    def settings(self) -> Settings:
        """The user's settings; a problem with the file is said once on stderr (never fatal)."""
        if self._settings is None:
            loaded = self.settings_store().load()
            if loaded.problem:
                self.terminal.note(f"desktopchat: note: {loaded.problem}")
            self._settings = loaded.settings
        return self._settings

    def store(self) -> HistoryStore:
        if self._store is None:
            from desktopchat.storage.store import HistoryStore

            self._store = HistoryStore.open(self.paths.database_file)
        return self._store

    def secrets(self) -> SecretStore:
        if self._secrets is None:
            from desktopchat.secrets import SecretStore

            self._secrets = SecretStore(self._warmup.keyring() if self._warmup else None)
        return self._secrets

    def warm_up(self) -> None:
        """Start loading what `ask` and `regenerate` will need (warmup.py). Only a saved
        profile's key comes from the keyring (--url never reads it), and its proxy password
        when its proxy wants one; the endpoint's URL, when known without the history, says
        whether certificates are needed at all."""
        from desktopchat.secret_service_read import proxy_entry

        from .warmup import Warmup

        args = self.args
        profile = None if args.url is not None else self._profile_hint()
        entries: list[str] = []
        if profile is not None and args.key_from_env is None:
            entries.append(profile.name)
        if profile is not None and profile.proxy_needs_password():
            entries.append(proxy_entry(profile.name))
        url = str(args.url) if args.url is not None else profile.url if profile else None
        self._warmup = Warmup(keyring=args.url is None and args.key_from_env is None,
                              url=url, entries=entries)

    def _profile_hint(self) -> Profile | None:
        """The profile the request will use, if the settings alone say (endpoint.py decides;
        a continued conversation may name its own profile, so then: unknown)."""
        args = self.args
        continuing = args.command == "regenerate" or args.conversation is not None or (
            args.continue_latest)
        if continuing and args.profile is None:
            return None
        try:
            settings = self.settings()
        except Exception:  # said again, properly, when the endpoint is resolved
            return None
        return settings.profile(args.profile) if args.profile else settings.active_profile()

    def stored_secret(self, user: str) -> tuple[bool, str | None]:
        """(whether it was read ahead, the secret or None when none is stored) for a keyring
        entry; not read ahead: ask `secrets()`."""
        stored = self._warmup.stored() if self._warmup else {}
        return (user in stored), stored.get(user)

    def keyring_absent(self) -> bool:
        """No keyring can work here (known without importing keyring): reading a key would
        only say so. The window's and `key set`'s SecretStore say the same words."""
        return self._warmup.keyring_absent() if self._warmup else False

    def tls(self, url: str) -> tuple[ssl.SSLContext | None, bool]:
        """(the TLS context for a request to `url`, whether it serves every proxy mode).

        The certificate store if it was loaded ahead (None: the client loads its own).
        Plain http to this machine gets a context that loads nothing and trusts nothing,
        whatever the proxy mode (loopback bypasses every proxy), without waiting for the
        store a profile's endpoint may have started loading."""
        from .warmup import closed_tls_context, plain_loopback

        if plain_loopback(url):
            return closed_tls_context(), True
        return (self._warmup.tls() if self._warmup else None), False

    def close(self) -> None:
        if self._warmup is not None:
            self._warmup.wait()
        if self._store is not None:
            self._store.close()
            self._store = None
