// The v1 Config of Gitpod 2022.11, transcribed from install/installer/pkg/config/v1/config.go at
// the release tags 2022.11.0 (9925027b), 2022.11.1 (3c79f0c6), release-2022.11.2 (72e822c8) and
// 2022.11.3 (9ae8bfde). The file is the same at the four tags except Database.SSL, which
// 2022.11.1 added (type SSLOptions). Line numbers below are at 2022.11.3; at 2022.11.0 the types
// after Database start 5 lines earlier.
//
// Field names, Go types and json tags are the facts; validate tags are left out (they are not
// part of loading). Every struct has named fields only: sigs.k8s.io/yaml finds a field's Go type
// (to turn a YAML number into a string) only through named fields, so an embedded shared struct
// would load differently from the installer's. The releases' Configs differ only in Database's
// type, so they are one struct with that type as its parameter (an instance has named fields).
package main

import "encoding/json"

// Open is a section the checker does not describe key by key: it loads anything.
type Open = json.RawMessage

// Config, config.go lines 156-200 (2022.11.3), with Database's type as its parameter.
type Config[D Database2022110 | Database2022111] struct {
	Kind                string            `json:"kind"`
	Domain              string            `json:"domain"`
	Metadata            Metadata          `json:"metadata"`
	Repository          string            `json:"repository"`
	Observability       Open              `json:"observability"`
	Analytics           Open              `json:"analytics,omitempty"`
	Database            D                 `json:"database"`
	ObjectStorage       ObjectStorage     `json:"objectStorage"`
	ContainerRegistry   ContainerRegistry `json:"containerRegistry"`
	Certificate         ObjectRef         `json:"certificate"`
	HTTPProxy           *ObjectRef        `json:"httpProxy,omitempty"`
	ImagePullSecrets    []ObjectRef       `json:"imagePullSecrets,omitempty"`
	Workspace           Open              `json:"workspace"`
	OpenVSX             Open              `json:"openVSX"`
	AuthProviders       []ObjectRef       `json:"authProviders"`
	BlockNewUsers       Open              `json:"blockNewUsers"`
	License             *ObjectRef        `json:"license,omitempty"`
	SSHGatewayHostKey   *ObjectRef        `json:"sshGatewayHostKey,omitempty"`
	DisableDefinitelyGP bool              `json:"disableDefinitelyGp"`
	CustomCACert        *ObjectRef        `json:"customCACert,omitempty"`
	DropImageRepo       *bool             `json:"dropImageRepo,omitempty"`
	Customization       Open              `json:"customization,omitempty"`
	Components          Open              `json:"components,omitempty"`
	Experimental        Open              `json:"experimental,omitempty"`
}

// Config at 2022.11.0: Database without SSL.
type Config2022110 = Config[Database2022110]

// Config as in 2022.11.1, release-2022.11.2 and 2022.11.3.
type Config2022111 = Config[Database2022111]

// Metadata, lines 202-207.
type Metadata struct {
	Region                string `json:"region"`
	InstallationShortname string `json:"shortname"`
}

// Database at 2022.11.0 (config.go lines 231-235 at that tag): no SSL.
type Database2022110 struct {
	InCluster *bool             `json:"inCluster,omitempty"`
	External  *DatabaseExternal `json:"external,omitempty"`
	CloudSQL  *DatabaseCloudSQL `json:"cloudSQL,omitempty"`
}

// Database, lines 231-236.
type Database2022111 struct {
	InCluster *bool             `json:"inCluster,omitempty"`
	External  *DatabaseExternal `json:"external,omitempty"`
	CloudSQL  *DatabaseCloudSQL `json:"cloudSQL,omitempty"`
	SSL       *SSLOptions       `json:"ssl,omitempty"`
}

// DatabaseExternal, lines 238-240.
type DatabaseExternal struct {
	Certificate ObjectRef `json:"certificate"`
}

// DatabaseCloudSQL, lines 242-245.
type DatabaseCloudSQL struct {
	ServiceAccount ObjectRef `json:"serviceAccount"`
	Instance       string    `json:"instance"`
}

// SSLOptions, lines 247-249 (from 2022.11.1).
type SSLOptions struct {
	CaCert *ObjectRef `json:"caCert,omitempty"`
}

// ObjectStorage, lines 251-260.
type ObjectStorage struct {
	InCluster          *bool                      `json:"inCluster,omitempty"`
	S3                 *ObjectStorageS3           `json:"s3,omitempty"`
	CloudStorage       *ObjectStorageCloudStorage `json:"cloudStorage,omitempty"`
	Azure              *ObjectStorageAzure        `json:"azure,omitempty"`
	MaximumBackupCount *int                       `json:"maximumBackupCount,omitempty"`
	BlobQuota          *int64                     `json:"blobQuota,omitempty"`
	Resources          *Resources                 `json:"resources,omitempty"`
}

// ObjectStorageS3, lines 262-271.
type ObjectStorageS3 struct {
	Endpoint                string    `json:"endpoint"`
	Credentials             ObjectRef `json:"credentials"`
	BucketName              string    `json:"bucket"`
	AllowInsecureConnection bool      `json:"allowInsecureConnection"`
}

// ObjectStorageCloudStorage, lines 273-276.
type ObjectStorageCloudStorage struct {
	ServiceAccount ObjectRef `json:"serviceAccount"`
	Project        string    `json:"project"`
}

// ObjectStorageAzure, lines 278-280.
type ObjectStorageAzure struct {
	Credentials ObjectRef `json:"credentials"`
}

// ObjectRef, lines 292-295 (Kind is ObjectRefKind, a string type).
type ObjectRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// ContainerRegistry, lines 303-308.
type ContainerRegistry struct {
	InCluster                 *bool                      `json:"inCluster,omitempty"`
	External                  *ContainerRegistryExternal `json:"external,omitempty"`
	S3Storage                 *S3Storage                 `json:"s3storage,omitempty"`
	PrivateBaseImageAllowList []string                   `json:"privateBaseImageAllowList"`
}

// ContainerRegistryExternal, lines 310-313.
type ContainerRegistryExternal struct {
	URL         string    `json:"url"`
	Certificate ObjectRef `json:"certificate"`
}

// S3Storage, lines 315-320.
type S3Storage struct {
	Bucket      string    `json:"bucket"`
	Region      string    `json:"region"`
	Endpoint    string    `json:"endpoint"`
	Certificate ObjectRef `json:"certificate"`
}

// Resources, lines 335-339 (corev1.ResourceList values: open).
type Resources struct {
	Requests Open `json:"requests"`
	Limits   Open `json:"limits,omitempty"`
}

// The defaults of the closed sections: Factory and Defaults, config.go lines 28-85 (the same
// at the four tags).
func closedDefaults(kind, repository *string, certificate *ObjectRef, metadata *Metadata,
	storage *ObjectStorage, registry *ContainerRegistry, authProviders *[]ObjectRef,
	disableDefinitelyGP *bool) {
	yes := true
	*authProviders = []ObjectRef{}
	*kind = "Full"
	*repository = "eu.gcr.io/gitpod-core-dev/build"
	*certificate = ObjectRef{Kind: "secret", Name: "https-certificates"}
	*metadata = Metadata{Region: "local", InstallationShortname: "default"}
	storageInCluster, registryInCluster := yes, yes
	storage.InCluster = &storageInCluster
	storage.Resources = &Resources{Requests: Open(`{"memory":"2Gi"}`)}
	registry.InCluster = &registryInCluster
	registry.PrivateBaseImageAllowList = []string{}
	*disableDefinitelyGP = true
}

func defaults2022110(c *Config2022110) {
	closedDefaults(&c.Kind, &c.Repository, &c.Certificate, &c.Metadata, &c.ObjectStorage,
		&c.ContainerRegistry, &c.AuthProviders, &c.DisableDefinitelyGP)
	inCluster := true
	c.Database.InCluster = &inCluster
}

func defaults2022111(c *Config2022111) {
	closedDefaults(&c.Kind, &c.Repository, &c.Certificate, &c.Metadata, &c.ObjectStorage,
		&c.ContainerRegistry, &c.AuthProviders, &c.DisableDefinitelyGP)
	inCluster := true
	c.Database.InCluster = &inCluster
}
