package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"liaison/sync/update"
)

// UpdateKeyFile is the public update key in the data directory: the packages the hub accepts
// and serves are those it verifies.
const UpdateKeyFile = "update.pub"

// UpdatesDir holds the published station packages in the data directory.
const UpdatesDir = "updates"

// updateRepo is the data directory's update repository; without a trusted key it refuses.
func updateRepo(data string) (update.Repo, error) {
	pub, err := update.ReadPublicKey(filepath.Join(data, UpdateKeyFile))
	if err != nil {
		return update.Repo{}, fmt.Errorf("no trusted update key (liaison-hub update trust FILE.pub): %w", err)
	}
	return update.Repo{Dir: filepath.Join(data, UpdatesDir), Trusted: pub}, nil
}

// update handles keygen, sign, trust and publish.
func (e *env) update(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: update keygen|sign|trust|publish", errUsage)
	}
	sub, args := args[0], args[1:]
	fs := e.flags("update " + sub)
	var key, pkg, ver, arch *string
	if sub == "sign" {
		key = fs.String("key", "", "private update key file")
		pkg = fs.String("package", "liaison-station", "Debian package name")
		ver = fs.String("version", "", "package version, dotted numbers")
		arch = fs.String("arch", "amd64", "Debian architecture")
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case sub == "keygen" && len(pos) == 1:
		pub, err := update.GenerateKey(pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "private key %s (keep it off the hub)\npublic key %s.pub: %s\n", pos[0], pos[0], update.EncodePublicKey(pub))
		return nil
	case sub == "sign" && len(pos) == 1:
		priv, err := update.ReadPrivateKey(*key)
		if err != nil {
			return err
		}
		if err := update.CheckControl(pos[0], *pkg, *ver, *arch); err != nil {
			return err
		}
		sig, err := update.Sign(priv, pos[0], *pkg, *ver, *arch, time.Now())
		if err != nil {
			return err
		}
		if err := os.WriteFile(pos[0]+".sig", append(sig, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "signed %s %s %s: %s.sig\n", *pkg, *ver, *arch, pos[0])
		return nil
	case sub == "trust" && len(pos) == 1:
		pub, err := update.ReadPublicKey(pos[0])
		if err != nil {
			return err
		}
		if err := os.MkdirAll(e.data, 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(e.data, UpdateKeyFile), []byte(update.EncodePublicKey(pub)+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "the hub now accepts station updates signed by %s\n", update.EncodePublicKey(pub))
		return nil
	case sub == "publish" && len(pos) == 2:
		repo, err := updateRepo(e.data)
		if err != nil {
			return err
		}
		sig, err := os.ReadFile(pos[1])
		if err != nil {
			return err
		}
		m, err := repo.Publish(pos[0], sig)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "published %s %s for %s (%d bytes, sha256 %s)\n", m.Package, m.Version, m.Arch, m.Size, m.SHA256)
		return nil
	}
	return fmt.Errorf("%w: update keygen FILE | sign --key FILE --version V [--arch A] PKG.deb | trust FILE.pub | publish PKG.deb PKG.deb.sig", errUsage)
}
