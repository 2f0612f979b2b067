package schema

// Typed enumerations of release-policy.yaml with the labels the public
// site shows for them. The values are the schema's enums (the jsonschema
// tags in types.go); TestEnums checks the two agree and every value has a
// label.

// ArtifactType is the kind of an artifact (artifacts[].type).
type ArtifactType string

// The artifact types, in the schema's order.
const (
	OCIImage     ArtifactType = "oci-image"
	OCIArtifact  ArtifactType = "oci-artifact"
	OSImage      ArtifactType = "os-image"
	Installer    ArtifactType = "installer"
	Firmware     ArtifactType = "firmware"
	AirgapBundle ArtifactType = "airgap-bundle"
	Package      ArtifactType = "package"
	Archive      ArtifactType = "archive"
	File         ArtifactType = "file"
)

// ArtifactTypes lists the artifact types in the schema's order.
var ArtifactTypes = []ArtifactType{OCIImage, OCIArtifact, OSImage, Installer, Firmware, AirgapBundle, Package, Archive, File}

var artifactTypeLabels = map[ArtifactType]string{
	OCIImage:     "OCI image",
	OCIArtifact:  "OCI artifact",
	OSImage:      "OS image",
	Installer:    "Installer",
	Firmware:     "Firmware",
	AirgapBundle: "Air-gapped bundle",
	Package:      "Package",
	Archive:      "Archive",
	File:         "File",
}

// Label is the type as the site names it ("OCI image"); an unknown type
// is its own label.
func (t ArtifactType) Label() string { return label(artifactTypeLabels, t) }

// IsOCI reports whether artifacts of the type live in an OCI registry.
func (t ArtifactType) IsOCI() bool { return t == OCIImage || t == OCIArtifact }

// HeavyByDefault reports whether artifacts of the type are heavy unless
// marked heavy: false (the policy's examples of heavy artifacts).
func (t ArtifactType) HeavyByDefault() bool {
	switch t {
	case OSImage, Installer, Firmware, AirgapBundle:
		return true
	}
	return false
}

// ChannelType is the kind of a release channel (channels[].type).
type ChannelType string

// The channel types, in the schema's order.
const (
	OCIRegistry     ChannelType = "oci-registry"
	GitHubRelease   ChannelType = "github-release"
	Download        ChannelType = "download"
	PackageRegistry ChannelType = "package-registry"
	OtherChannel    ChannelType = "other"
)

// ChannelTypes lists the channel types in the schema's order.
var ChannelTypes = []ChannelType{OCIRegistry, GitHubRelease, Download, PackageRegistry, OtherChannel}

var channelTypeLabels = map[ChannelType]string{
	OCIRegistry:     "OCI registry",
	GitHubRelease:   "GitHub Releases",
	Download:        "Download site",
	PackageRegistry: "Package registry",
	OtherChannel:    "Other",
}

// Label is the channel type as the site names it ("OCI registry").
func (t ChannelType) Label() string { return label(channelTypeLabels, t) }

// Identity is the stable identity users rely on (artifacts[].identity).
type Identity string

// The identities, in the schema's order.
const (
	ByDigest     Identity = "digest"
	ByChecksum   Identity = "checksum"
	ByVersionTag Identity = "version-tag"
	ByOther      Identity = "other"
)

// Identities lists the identities in the schema's order.
var Identities = []Identity{ByDigest, ByChecksum, ByVersionTag, ByOther}

var identityLabels = map[Identity]string{
	ByDigest:     "by digest",
	ByChecksum:   "by checksum",
	ByVersionTag: "by version tag",
	ByOther:      "by another stable identifier",
}

// Label is the identity as the site words it ("by digest").
func (i Identity) Label() string { return label(identityLabels, i) }

// SignatureMethod is how artifacts are signed (provenance.signatures.method).
type SignatureMethod string

// The signature methods, in the schema's order.
const (
	CosignKeyless SignatureMethod = "cosign-keyless"
	CosignKey     SignatureMethod = "cosign-key"
	GPG           SignatureMethod = "gpg"
	Minisign      SignatureMethod = "minisign"
	OtherMethod   SignatureMethod = "other"
)

// SignatureMethods lists the methods in the schema's order.
var SignatureMethods = []SignatureMethod{CosignKeyless, CosignKey, GPG, Minisign, OtherMethod}

var signatureMethodLabels = map[SignatureMethod]string{
	CosignKeyless: "Sigstore cosign (keyless)",
	CosignKey:     "cosign with a published key",
	GPG:           "GnuPG",
	Minisign:      "minisign",
	OtherMethod:   "a project-specific method",
}

// Label is the method as the site names it ("GnuPG").
func (m SignatureMethod) Label() string { return label(signatureMethodLabels, m) }

func label[T ~string](m map[T]string, k T) string {
	if v, ok := m[k]; ok {
		return v
	}
	return string(k)
}
