/**
 * The protobuf messages of the built-in kinds the emulator serves, and of everything they contain, for decoding
 * `application/vnd.kubernetes.protobuf` request bodies (client-go's typed clients send them since 1.31: kubectl
 * 1.32's `create namespace|configmap|deployment|…`).
 *
 * Transcribed mechanically from the FileDescriptorProtos that k8s.io/api v0.32 compiles into kubectl 1.32
 * (k8s.io/api/<group>/<version>/generated.proto), so the field numbers are the real ones.
 * Syntax per field: `name=number`, then `[]` (repeated) or `{}` (map with string keys), then `:type` for the
 * element or value type: `int`, `bool`, `bytes`, a message name, or one of the well-known types decoded by code
 * (Time, MicroTime, Quantity, IntOrString, FieldsV1). No type means string.
 */
export const KUBE_MESSAGES: Readonly<Record<string, string>> = {
  "apps.v1.Deployment": "metadata=1:meta.v1.ObjectMeta spec=2:apps.v1.DeploymentSpec status=3:apps.v1.DeploymentStatus",
  "apps.v1.DeploymentCondition": "type=1 status=2 reason=4 message=5 lastUpdateTime=6:Time lastTransitionTime=7:Time",
  "apps.v1.DeploymentSpec":
    "replicas=1:int selector=2:meta.v1.LabelSelector template=3:core.v1.PodTemplateSpec " +
    "strategy=4:apps.v1.DeploymentStrategy minReadySeconds=5:int revisionHistoryLimit=6:int paused=7:bool " +
    "progressDeadlineSeconds=9:int",
  "apps.v1.DeploymentStatus":
    "observedGeneration=1:int replicas=2:int updatedReplicas=3:int availableReplicas=4:int unavailableReplicas=5:int " +
    "conditions=6[]:apps.v1.DeploymentCondition readyReplicas=7:int collisionCount=8:int",
  "apps.v1.DeploymentStrategy": "type=1 rollingUpdate=2:apps.v1.RollingUpdateDeployment",
  "apps.v1.RollingUpdateDeployment": "maxUnavailable=1:IntOrString maxSurge=2:IntOrString",
  "coordination.v1.Lease": "metadata=1:meta.v1.ObjectMeta spec=2:coordination.v1.LeaseSpec",
  "coordination.v1.LeaseSpec":
    "holderIdentity=1 leaseDurationSeconds=2:int acquireTime=3:MicroTime renewTime=4:MicroTime leaseTransitions=5:int " +
    "strategy=6 preferredHolder=7",
  "core.v1.AWSElasticBlockStoreVolumeSource": "volumeID=1 fsType=2 partition=3:int readOnly=4:bool",
  "core.v1.Affinity": "nodeAffinity=1:core.v1.NodeAffinity podAffinity=2:core.v1.PodAffinity podAntiAffinity=3:core.v1.PodAntiAffinity",
  "core.v1.AppArmorProfile": "type=1 localhostProfile=2",
  "core.v1.AzureDiskVolumeSource": "diskName=1 diskURI=2 cachingMode=3 fsType=4 readOnly=5:bool kind=6",
  "core.v1.AzureFileVolumeSource": "secretName=1 shareName=2 readOnly=3:bool",
  "core.v1.CSIVolumeSource": "driver=1 readOnly=2:bool fsType=3 volumeAttributes=4{} nodePublishSecretRef=5:core.v1.LocalObjectReference",
  "core.v1.Capabilities": "add=1[] drop=2[]",
  "core.v1.CephFSVolumeSource": "monitors=1[] path=2 user=3 secretFile=4 secretRef=5:core.v1.LocalObjectReference readOnly=6:bool",
  "core.v1.CinderVolumeSource": "volumeID=1 fsType=2 readOnly=3:bool secretRef=4:core.v1.LocalObjectReference",
  "core.v1.ClientIPConfig": "timeoutSeconds=1:int",
  "core.v1.ClusterTrustBundleProjection": "name=1 signerName=2 labelSelector=3:meta.v1.LabelSelector path=4 optional=5:bool",
  "core.v1.ConfigMap": "metadata=1:meta.v1.ObjectMeta data=2{} binaryData=3{}:bytes immutable=4:bool",
  "core.v1.ConfigMapEnvSource": "localObjectReference=1:core.v1.LocalObjectReference optional=2:bool",
  "core.v1.ConfigMapKeySelector": "localObjectReference=1:core.v1.LocalObjectReference key=2 optional=3:bool",
  "core.v1.ConfigMapProjection": "localObjectReference=1:core.v1.LocalObjectReference items=2[]:core.v1.KeyToPath optional=4:bool",
  "core.v1.ConfigMapVolumeSource": "localObjectReference=1:core.v1.LocalObjectReference items=2[]:core.v1.KeyToPath defaultMode=3:int optional=4:bool",
  "core.v1.Container":
    "name=1 image=2 command=3[] args=4[] workingDir=5 ports=6[]:core.v1.ContainerPort env=7[]:core.v1.EnvVar " +
    "resources=8:core.v1.ResourceRequirements volumeMounts=9[]:core.v1.VolumeMount livenessProbe=10:core.v1.Probe " +
    "readinessProbe=11:core.v1.Probe lifecycle=12:core.v1.Lifecycle terminationMessagePath=13 imagePullPolicy=14 " +
    "securityContext=15:core.v1.SecurityContext stdin=16:bool stdinOnce=17:bool tty=18:bool " +
    "envFrom=19[]:core.v1.EnvFromSource terminationMessagePolicy=20 volumeDevices=21[]:core.v1.VolumeDevice " +
    "startupProbe=22:core.v1.Probe resizePolicy=23[]:core.v1.ContainerResizePolicy restartPolicy=24",
  "core.v1.ContainerPort": "name=1 hostPort=2:int containerPort=3:int protocol=4 hostIP=5",
  "core.v1.ContainerResizePolicy": "resourceName=1 restartPolicy=2",
  "core.v1.DownwardAPIProjection": "items=1[]:core.v1.DownwardAPIVolumeFile",
  "core.v1.DownwardAPIVolumeFile": "path=1 fieldRef=2:core.v1.ObjectFieldSelector resourceFieldRef=3:core.v1.ResourceFieldSelector mode=4:int",
  "core.v1.DownwardAPIVolumeSource": "items=1[]:core.v1.DownwardAPIVolumeFile defaultMode=2:int",
  "core.v1.EmptyDirVolumeSource": "medium=1 sizeLimit=2:Quantity",
  "core.v1.EnvFromSource": "prefix=1 configMapRef=2:core.v1.ConfigMapEnvSource secretRef=3:core.v1.SecretEnvSource",
  "core.v1.EnvVar": "name=1 value=2 valueFrom=3:core.v1.EnvVarSource",
  "core.v1.EnvVarSource":
    "fieldRef=1:core.v1.ObjectFieldSelector resourceFieldRef=2:core.v1.ResourceFieldSelector " +
    "configMapKeyRef=3:core.v1.ConfigMapKeySelector secretKeyRef=4:core.v1.SecretKeySelector",
  "core.v1.EphemeralContainer": "ephemeralContainerCommon=1:core.v1.EphemeralContainerCommon targetContainerName=2",
  "core.v1.EphemeralContainerCommon":
    "name=1 image=2 command=3[] args=4[] workingDir=5 ports=6[]:core.v1.ContainerPort env=7[]:core.v1.EnvVar " +
    "resources=8:core.v1.ResourceRequirements volumeMounts=9[]:core.v1.VolumeMount livenessProbe=10:core.v1.Probe " +
    "readinessProbe=11:core.v1.Probe lifecycle=12:core.v1.Lifecycle terminationMessagePath=13 imagePullPolicy=14 " +
    "securityContext=15:core.v1.SecurityContext stdin=16:bool stdinOnce=17:bool tty=18:bool " +
    "envFrom=19[]:core.v1.EnvFromSource terminationMessagePolicy=20 volumeDevices=21[]:core.v1.VolumeDevice " +
    "startupProbe=22:core.v1.Probe resizePolicy=23[]:core.v1.ContainerResizePolicy restartPolicy=24",
  "core.v1.EphemeralVolumeSource": "volumeClaimTemplate=1:core.v1.PersistentVolumeClaimTemplate",
  "core.v1.Event":
    "metadata=1:meta.v1.ObjectMeta involvedObject=2:core.v1.ObjectReference reason=3 message=4 source=5:core.v1.EventSource " +
    "firstTimestamp=6:Time lastTimestamp=7:Time count=8:int type=9 eventTime=10:MicroTime series=11:core.v1.EventSeries " +
    "action=12 related=13:core.v1.ObjectReference reportingComponent=14 reportingInstance=15",
  "core.v1.EventSeries": "count=1:int lastObservedTime=2:MicroTime",
  "core.v1.EventSource": "component=1 host=2",
  "core.v1.ExecAction": "command=1[]",
  "core.v1.FCVolumeSource": "targetWWNs=1[] lun=2:int fsType=3 readOnly=4:bool wwids=5[]",
  "core.v1.FlexVolumeSource": "driver=1 fsType=2 secretRef=3:core.v1.LocalObjectReference readOnly=4:bool options=5{}",
  "core.v1.FlockerVolumeSource": "datasetName=1 datasetUUID=2",
  "core.v1.GCEPersistentDiskVolumeSource": "pdName=1 fsType=2 partition=3:int readOnly=4:bool",
  "core.v1.GRPCAction": "port=1:int service=2",
  "core.v1.GitRepoVolumeSource": "repository=1 revision=2 directory=3",
  "core.v1.GlusterfsVolumeSource": "endpoints=1 path=2 readOnly=3:bool",
  "core.v1.HTTPGetAction": "path=1 port=2:IntOrString host=3 scheme=4 httpHeaders=5[]:core.v1.HTTPHeader",
  "core.v1.HTTPHeader": "name=1 value=2",
  "core.v1.HostAlias": "ip=1 hostnames=2[]",
  "core.v1.HostPathVolumeSource": "path=1 type=2",
  "core.v1.ISCSIVolumeSource":
    "targetPortal=1 iqn=2 lun=3:int iscsiInterface=4 fsType=5 readOnly=6:bool portals=7[] chapAuthDiscovery=8:bool " +
    "secretRef=10:core.v1.LocalObjectReference chapAuthSession=11:bool initiatorName=12",
  "core.v1.ImageVolumeSource": "reference=1 pullPolicy=2",
  "core.v1.KeyToPath": "key=1 path=2 mode=3:int",
  "core.v1.Lifecycle": "postStart=1:core.v1.LifecycleHandler preStop=2:core.v1.LifecycleHandler",
  "core.v1.LifecycleHandler":
    "exec=1:core.v1.ExecAction httpGet=2:core.v1.HTTPGetAction tcpSocket=3:core.v1.TCPSocketAction " +
    "sleep=4:core.v1.SleepAction",
  "core.v1.LoadBalancerIngress": "ip=1 hostname=2 ipMode=3 ports=4[]:core.v1.PortStatus",
  "core.v1.LoadBalancerStatus": "ingress=1[]:core.v1.LoadBalancerIngress",
  "core.v1.LocalObjectReference": "name=1",
  "core.v1.NFSVolumeSource": "server=1 path=2 readOnly=3:bool",
  "core.v1.Namespace": "metadata=1:meta.v1.ObjectMeta spec=2:core.v1.NamespaceSpec status=3:core.v1.NamespaceStatus",
  "core.v1.NamespaceCondition": "type=1 status=2 lastTransitionTime=4:Time reason=5 message=6",
  "core.v1.NamespaceSpec": "finalizers=1[]",
  "core.v1.NamespaceStatus": "phase=1 conditions=2[]:core.v1.NamespaceCondition",
  "core.v1.NodeAffinity":
    "requiredDuringSchedulingIgnoredDuringExecution=1:core.v1.NodeSelector " +
    "preferredDuringSchedulingIgnoredDuringExecution=2[]:core.v1.PreferredSchedulingTerm",
  "core.v1.NodeSelector": "nodeSelectorTerms=1[]:core.v1.NodeSelectorTerm",
  "core.v1.NodeSelectorRequirement": "key=1 operator=2 values=3[]",
  "core.v1.NodeSelectorTerm": "matchExpressions=1[]:core.v1.NodeSelectorRequirement matchFields=2[]:core.v1.NodeSelectorRequirement",
  "core.v1.ObjectFieldSelector": "apiVersion=1 fieldPath=2",
  "core.v1.ObjectReference": "kind=1 namespace=2 name=3 uid=4 apiVersion=5 resourceVersion=6 fieldPath=7",
  "core.v1.PersistentVolumeClaimSpec":
    "accessModes=1[] resources=2:core.v1.VolumeResourceRequirements volumeName=3 selector=4:meta.v1.LabelSelector " +
    "storageClassName=5 volumeMode=6 dataSource=7:core.v1.TypedLocalObjectReference " +
    "dataSourceRef=8:core.v1.TypedObjectReference volumeAttributesClassName=9",
  "core.v1.PersistentVolumeClaimTemplate": "metadata=1:meta.v1.ObjectMeta spec=2:core.v1.PersistentVolumeClaimSpec",
  "core.v1.PersistentVolumeClaimVolumeSource": "claimName=1 readOnly=2:bool",
  "core.v1.PhotonPersistentDiskVolumeSource": "pdID=1 fsType=2",
  "core.v1.PodAffinity":
    "requiredDuringSchedulingIgnoredDuringExecution=1[]:core.v1.PodAffinityTerm " +
    "preferredDuringSchedulingIgnoredDuringExecution=2[]:core.v1.WeightedPodAffinityTerm",
  "core.v1.PodAffinityTerm":
    "labelSelector=1:meta.v1.LabelSelector namespaces=2[] topologyKey=3 namespaceSelector=4:meta.v1.LabelSelector " +
    "matchLabelKeys=5[] mismatchLabelKeys=6[]",
  "core.v1.PodAntiAffinity":
    "requiredDuringSchedulingIgnoredDuringExecution=1[]:core.v1.PodAffinityTerm " +
    "preferredDuringSchedulingIgnoredDuringExecution=2[]:core.v1.WeightedPodAffinityTerm",
  "core.v1.PodDNSConfig": "nameservers=1[] searches=2[] options=3[]:core.v1.PodDNSConfigOption",
  "core.v1.PodDNSConfigOption": "name=1 value=2",
  "core.v1.PodOS": "name=1",
  "core.v1.PodReadinessGate": "conditionType=1",
  "core.v1.PodResourceClaim": "name=1 resourceClaimName=3 resourceClaimTemplateName=4",
  "core.v1.PodSchedulingGate": "name=1",
  "core.v1.PodSecurityContext":
    "seLinuxOptions=1:core.v1.SELinuxOptions runAsUser=2:int runAsNonRoot=3:bool supplementalGroups=4[]:int fsGroup=5:int " +
    "runAsGroup=6:int sysctls=7[]:core.v1.Sysctl windowsOptions=8:core.v1.WindowsSecurityContextOptions " +
    "fsGroupChangePolicy=9 seccompProfile=10:core.v1.SeccompProfile appArmorProfile=11:core.v1.AppArmorProfile " +
    "supplementalGroupsPolicy=12 seLinuxChangePolicy=13",
  "core.v1.PodSpec":
    "volumes=1[]:core.v1.Volume containers=2[]:core.v1.Container restartPolicy=3 terminationGracePeriodSeconds=4:int " +
    "activeDeadlineSeconds=5:int dnsPolicy=6 nodeSelector=7{} serviceAccountName=8 serviceAccount=9 nodeName=10 " +
    "hostNetwork=11:bool hostPID=12:bool hostIPC=13:bool securityContext=14:core.v1.PodSecurityContext " +
    "imagePullSecrets=15[]:core.v1.LocalObjectReference hostname=16 subdomain=17 affinity=18:core.v1.Affinity " +
    "schedulerName=19 initContainers=20[]:core.v1.Container automountServiceAccountToken=21:bool " +
    "tolerations=22[]:core.v1.Toleration hostAliases=23[]:core.v1.HostAlias priorityClassName=24 priority=25:int " +
    "dnsConfig=26:core.v1.PodDNSConfig shareProcessNamespace=27:bool readinessGates=28[]:core.v1.PodReadinessGate " +
    "runtimeClassName=29 enableServiceLinks=30:bool preemptionPolicy=31 overhead=32{}:Quantity " +
    "topologySpreadConstraints=33[]:core.v1.TopologySpreadConstraint ephemeralContainers=34[]:core.v1.EphemeralContainer " +
    "setHostnameAsFQDN=35:bool os=36:core.v1.PodOS hostUsers=37:bool schedulingGates=38[]:core.v1.PodSchedulingGate " +
    "resourceClaims=39[]:core.v1.PodResourceClaim resources=40:core.v1.ResourceRequirements",
  "core.v1.PodTemplateSpec": "metadata=1:meta.v1.ObjectMeta spec=2:core.v1.PodSpec",
  "core.v1.PortStatus": "port=1:int protocol=2 error=3",
  "core.v1.PortworxVolumeSource": "volumeID=1 fsType=2 readOnly=3:bool",
  "core.v1.PreferredSchedulingTerm": "weight=1:int preference=2:core.v1.NodeSelectorTerm",
  "core.v1.Probe":
    "handler=1:core.v1.ProbeHandler initialDelaySeconds=2:int timeoutSeconds=3:int periodSeconds=4:int " +
    "successThreshold=5:int failureThreshold=6:int terminationGracePeriodSeconds=7:int",
  "core.v1.ProbeHandler":
    "exec=1:core.v1.ExecAction httpGet=2:core.v1.HTTPGetAction tcpSocket=3:core.v1.TCPSocketAction " +
    "grpc=4:core.v1.GRPCAction",
  "core.v1.ProjectedVolumeSource": "sources=1[]:core.v1.VolumeProjection defaultMode=2:int",
  "core.v1.QuobyteVolumeSource": "registry=1 volume=2 readOnly=3:bool user=4 group=5 tenant=6",
  "core.v1.RBDVolumeSource": "monitors=1[] image=2 fsType=3 pool=4 user=5 keyring=6 secretRef=7:core.v1.LocalObjectReference readOnly=8:bool",
  "core.v1.ResourceClaim": "name=1 request=2",
  "core.v1.ResourceFieldSelector": "containerName=1 resource=2 divisor=3:Quantity",
  "core.v1.ResourceRequirements": "limits=1{}:Quantity requests=2{}:Quantity claims=3[]:core.v1.ResourceClaim",
  "core.v1.SELinuxOptions": "user=1 role=2 type=3 level=4",
  "core.v1.ScaleIOVolumeSource":
    "gateway=1 system=2 secretRef=3:core.v1.LocalObjectReference sslEnabled=4:bool protectionDomain=5 storagePool=6 " +
    "storageMode=7 volumeName=8 fsType=9 readOnly=10:bool",
  "core.v1.SeccompProfile": "type=1 localhostProfile=2",
  "core.v1.Secret": "metadata=1:meta.v1.ObjectMeta data=2{}:bytes type=3 stringData=4{} immutable=5:bool",
  "core.v1.SecretEnvSource": "localObjectReference=1:core.v1.LocalObjectReference optional=2:bool",
  "core.v1.SecretKeySelector": "localObjectReference=1:core.v1.LocalObjectReference key=2 optional=3:bool",
  "core.v1.SecretProjection": "localObjectReference=1:core.v1.LocalObjectReference items=2[]:core.v1.KeyToPath optional=4:bool",
  "core.v1.SecretVolumeSource": "secretName=1 items=2[]:core.v1.KeyToPath defaultMode=3:int optional=4:bool",
  "core.v1.SecurityContext":
    "capabilities=1:core.v1.Capabilities privileged=2:bool seLinuxOptions=3:core.v1.SELinuxOptions runAsUser=4:int " +
    "runAsNonRoot=5:bool readOnlyRootFilesystem=6:bool allowPrivilegeEscalation=7:bool runAsGroup=8:int procMount=9 " +
    "windowsOptions=10:core.v1.WindowsSecurityContextOptions seccompProfile=11:core.v1.SeccompProfile " +
    "appArmorProfile=12:core.v1.AppArmorProfile",
  "core.v1.Service": "metadata=1:meta.v1.ObjectMeta spec=2:core.v1.ServiceSpec status=3:core.v1.ServiceStatus",
  "core.v1.ServiceAccount":
    "metadata=1:meta.v1.ObjectMeta secrets=2[]:core.v1.ObjectReference imagePullSecrets=3[]:core.v1.LocalObjectReference " +
    "automountServiceAccountToken=4:bool",
  "core.v1.ServiceAccountTokenProjection": "audience=1 expirationSeconds=2:int path=3",
  "core.v1.ServicePort": "name=1 protocol=2 port=3:int targetPort=4:IntOrString nodePort=5:int appProtocol=6",
  "core.v1.ServiceSpec":
    "ports=1[]:core.v1.ServicePort selector=2{} clusterIP=3 type=4 externalIPs=5[] sessionAffinity=7 loadBalancerIP=8 " +
    "loadBalancerSourceRanges=9[] externalName=10 externalTrafficPolicy=11 healthCheckNodePort=12:int " +
    "publishNotReadyAddresses=13:bool sessionAffinityConfig=14:core.v1.SessionAffinityConfig ipFamilyPolicy=17 " +
    "clusterIPs=18[] ipFamilies=19[] allocateLoadBalancerNodePorts=20:bool loadBalancerClass=21 internalTrafficPolicy=22 " +
    "trafficDistribution=23",
  "core.v1.ServiceStatus": "loadBalancer=1:core.v1.LoadBalancerStatus conditions=2[]:meta.v1.Condition",
  "core.v1.SessionAffinityConfig": "clientIP=1:core.v1.ClientIPConfig",
  "core.v1.SleepAction": "seconds=1:int",
  "core.v1.StorageOSVolumeSource": "volumeName=1 volumeNamespace=2 fsType=3 readOnly=4:bool secretRef=5:core.v1.LocalObjectReference",
  "core.v1.Sysctl": "name=1 value=2",
  "core.v1.TCPSocketAction": "port=1:IntOrString host=2",
  "core.v1.Toleration": "key=1 operator=2 value=3 effect=4 tolerationSeconds=5:int",
  "core.v1.TopologySpreadConstraint":
    "maxSkew=1:int topologyKey=2 whenUnsatisfiable=3 labelSelector=4:meta.v1.LabelSelector minDomains=5:int " +
    "nodeAffinityPolicy=6 nodeTaintsPolicy=7 matchLabelKeys=8[]",
  "core.v1.TypedLocalObjectReference": "apiGroup=1 kind=2 name=3",
  "core.v1.TypedObjectReference": "apiGroup=1 kind=2 name=3 namespace=4",
  "core.v1.Volume": "name=1 volumeSource=2:core.v1.VolumeSource",
  "core.v1.VolumeDevice": "name=1 devicePath=2",
  "core.v1.VolumeMount": "name=1 readOnly=2:bool mountPath=3 subPath=4 mountPropagation=5 subPathExpr=6 recursiveReadOnly=7",
  "core.v1.VolumeProjection":
    "secret=1:core.v1.SecretProjection downwardAPI=2:core.v1.DownwardAPIProjection configMap=3:core.v1.ConfigMapProjection " +
    "serviceAccountToken=4:core.v1.ServiceAccountTokenProjection clusterTrustBundle=5:core.v1.ClusterTrustBundleProjection",
  "core.v1.VolumeResourceRequirements": "limits=1{}:Quantity requests=2{}:Quantity",
  "core.v1.VolumeSource":
    "hostPath=1:core.v1.HostPathVolumeSource emptyDir=2:core.v1.EmptyDirVolumeSource " +
    "gcePersistentDisk=3:core.v1.GCEPersistentDiskVolumeSource " +
    "awsElasticBlockStore=4:core.v1.AWSElasticBlockStoreVolumeSource gitRepo=5:core.v1.GitRepoVolumeSource " +
    "secret=6:core.v1.SecretVolumeSource nfs=7:core.v1.NFSVolumeSource iscsi=8:core.v1.ISCSIVolumeSource " +
    "glusterfs=9:core.v1.GlusterfsVolumeSource persistentVolumeClaim=10:core.v1.PersistentVolumeClaimVolumeSource " +
    "rbd=11:core.v1.RBDVolumeSource flexVolume=12:core.v1.FlexVolumeSource cinder=13:core.v1.CinderVolumeSource " +
    "cephfs=14:core.v1.CephFSVolumeSource flocker=15:core.v1.FlockerVolumeSource " +
    "downwardAPI=16:core.v1.DownwardAPIVolumeSource fc=17:core.v1.FCVolumeSource azureFile=18:core.v1.AzureFileVolumeSource " +
    "configMap=19:core.v1.ConfigMapVolumeSource vsphereVolume=20:core.v1.VsphereVirtualDiskVolumeSource " +
    "quobyte=21:core.v1.QuobyteVolumeSource azureDisk=22:core.v1.AzureDiskVolumeSource " +
    "photonPersistentDisk=23:core.v1.PhotonPersistentDiskVolumeSource portworxVolume=24:core.v1.PortworxVolumeSource " +
    "scaleIO=25:core.v1.ScaleIOVolumeSource projected=26:core.v1.ProjectedVolumeSource " +
    "storageos=27:core.v1.StorageOSVolumeSource csi=28:core.v1.CSIVolumeSource ephemeral=29:core.v1.EphemeralVolumeSource " +
    "image=30:core.v1.ImageVolumeSource",
  "core.v1.VsphereVirtualDiskVolumeSource": "volumePath=1 fsType=2 storagePolicyName=3 storagePolicyID=4",
  "core.v1.WeightedPodAffinityTerm": "weight=1:int podAffinityTerm=2:core.v1.PodAffinityTerm",
  "core.v1.WindowsSecurityContextOptions": "gmsaCredentialSpecName=1 gmsaCredentialSpec=2 runAsUserName=3 hostProcess=4:bool",
  "discovery.v1.Endpoint":
    "addresses=1[] conditions=2:discovery.v1.EndpointConditions hostname=3 targetRef=4:core.v1.ObjectReference " +
    "deprecatedTopology=5{} nodeName=6 zone=7 hints=8:discovery.v1.EndpointHints",
  "discovery.v1.EndpointConditions": "ready=1:bool serving=2:bool terminating=3:bool",
  "discovery.v1.EndpointHints": "forZones=1[]:discovery.v1.ForZone",
  "discovery.v1.EndpointPort": "name=1 protocol=2 port=3:int appProtocol=4",
  "discovery.v1.EndpointSlice": "metadata=1:meta.v1.ObjectMeta endpoints=2[]:discovery.v1.Endpoint ports=3[]:discovery.v1.EndpointPort addressType=4",
  "discovery.v1.ForZone": "name=1",
  "events.v1.Event":
    "metadata=1:meta.v1.ObjectMeta eventTime=2:MicroTime series=3:events.v1.EventSeries reportingController=4 " +
    "reportingInstance=5 action=6 reason=7 regarding=8:core.v1.ObjectReference related=9:core.v1.ObjectReference note=10 " +
    "type=11 deprecatedSource=12:core.v1.EventSource deprecatedFirstTimestamp=13:Time deprecatedLastTimestamp=14:Time " +
    "deprecatedCount=15:int",
  "events.v1.EventSeries": "count=1:int lastObservedTime=2:MicroTime",
  "meta.v1.Condition": "type=1 status=2 observedGeneration=3:int lastTransitionTime=4:Time reason=5 message=6",
  "meta.v1.DeleteOptions":
    "gracePeriodSeconds=1:int preconditions=2:meta.v1.Preconditions orphanDependents=3:bool propagationPolicy=4 dryRun=5[] " +
    "ignoreStoreReadErrorWithClusterBreakingPotential=6:bool",
  "meta.v1.LabelSelector": "matchLabels=1{} matchExpressions=2[]:meta.v1.LabelSelectorRequirement",
  "meta.v1.LabelSelectorRequirement": "key=1 operator=2 values=3[]",
  "meta.v1.ManagedFieldsEntry": "manager=1 operation=2 apiVersion=3 time=4:Time fieldsType=6 fieldsV1=7:FieldsV1 subresource=8",
  "meta.v1.ObjectMeta":
    "name=1 generateName=2 namespace=3 selfLink=4 uid=5 resourceVersion=6 generation=7:int creationTimestamp=8:Time " +
    "deletionTimestamp=9:Time deletionGracePeriodSeconds=10:int labels=11{} annotations=12{} " +
    "ownerReferences=13[]:meta.v1.OwnerReference finalizers=14[] managedFields=17[]:meta.v1.ManagedFieldsEntry",
  "meta.v1.Preconditions": "uid=1 resourceVersion=2",
  "meta.v1.OwnerReference": "kind=1 name=3 uid=4 apiVersion=5 controller=6:bool blockOwnerDeletion=7:bool",
  "networking.v1.HTTPIngressPath": "path=1 backend=2:networking.v1.IngressBackend pathType=3",
  "networking.v1.HTTPIngressRuleValue": "paths=1[]:networking.v1.HTTPIngressPath",
  "networking.v1.IPBlock": "cidr=1 except=2[]",
  "networking.v1.Ingress": "metadata=1:meta.v1.ObjectMeta spec=2:networking.v1.IngressSpec status=3:networking.v1.IngressStatus",
  "networking.v1.IngressBackend": "resource=3:core.v1.TypedLocalObjectReference service=4:networking.v1.IngressServiceBackend",
  "networking.v1.IngressClass": "metadata=1:meta.v1.ObjectMeta spec=2:networking.v1.IngressClassSpec",
  "networking.v1.IngressClassParametersReference": "aPIGroup=1 kind=2 name=3 scope=4 namespace=5",
  "networking.v1.IngressClassSpec": "controller=1 parameters=2:networking.v1.IngressClassParametersReference",
  "networking.v1.IngressLoadBalancerIngress": "ip=1 hostname=2 ports=4[]:networking.v1.IngressPortStatus",
  "networking.v1.IngressLoadBalancerStatus": "ingress=1[]:networking.v1.IngressLoadBalancerIngress",
  "networking.v1.IngressPortStatus": "port=1:int protocol=2 error=3",
  "networking.v1.IngressRule": "host=1 ingressRuleValue=2:networking.v1.IngressRuleValue",
  "networking.v1.IngressRuleValue": "http=1:networking.v1.HTTPIngressRuleValue",
  "networking.v1.IngressServiceBackend": "name=1 port=2:networking.v1.ServiceBackendPort",
  "networking.v1.IngressSpec":
    "defaultBackend=1:networking.v1.IngressBackend tls=2[]:networking.v1.IngressTLS rules=3[]:networking.v1.IngressRule " +
    "ingressClassName=4",
  "networking.v1.IngressStatus": "loadBalancer=1:networking.v1.IngressLoadBalancerStatus",
  "networking.v1.IngressTLS": "hosts=1[] secretName=2",
  "networking.v1.NetworkPolicy": "metadata=1:meta.v1.ObjectMeta spec=2:networking.v1.NetworkPolicySpec",
  "networking.v1.NetworkPolicyEgressRule": "ports=1[]:networking.v1.NetworkPolicyPort to=2[]:networking.v1.NetworkPolicyPeer",
  "networking.v1.NetworkPolicyIngressRule": "ports=1[]:networking.v1.NetworkPolicyPort from=2[]:networking.v1.NetworkPolicyPeer",
  "networking.v1.NetworkPolicyPeer": "podSelector=1:meta.v1.LabelSelector namespaceSelector=2:meta.v1.LabelSelector ipBlock=3:networking.v1.IPBlock",
  "networking.v1.NetworkPolicyPort": "protocol=1 port=2:IntOrString endPort=3:int",
  "networking.v1.NetworkPolicySpec":
    "podSelector=1:meta.v1.LabelSelector ingress=2[]:networking.v1.NetworkPolicyIngressRule " +
    "egress=3[]:networking.v1.NetworkPolicyEgressRule policyTypes=4[]",
  "networking.v1.ServiceBackendPort": "name=1 number=2:int",
  "policy.v1.PodDisruptionBudget": "metadata=1:meta.v1.ObjectMeta spec=2:policy.v1.PodDisruptionBudgetSpec status=3:policy.v1.PodDisruptionBudgetStatus",
  "policy.v1.PodDisruptionBudgetSpec": "minAvailable=1:IntOrString selector=2:meta.v1.LabelSelector maxUnavailable=3:IntOrString unhealthyPodEvictionPolicy=4",
  "policy.v1.PodDisruptionBudgetStatus":
    "observedGeneration=1:int disruptedPods=2{}:Time disruptionsAllowed=3:int currentHealthy=4:int desiredHealthy=5:int " +
    "expectedPods=6:int conditions=7[]:meta.v1.Condition",
  "rbac.v1.AggregationRule": "clusterRoleSelectors=1[]:meta.v1.LabelSelector",
  "rbac.v1.ClusterRole": "metadata=1:meta.v1.ObjectMeta rules=2[]:rbac.v1.PolicyRule aggregationRule=3:rbac.v1.AggregationRule",
  "rbac.v1.ClusterRoleBinding": "metadata=1:meta.v1.ObjectMeta subjects=2[]:rbac.v1.Subject roleRef=3:rbac.v1.RoleRef",
  "rbac.v1.PolicyRule": "verbs=1[] apiGroups=2[] resources=3[] resourceNames=4[] nonResourceURLs=5[]",
  "rbac.v1.Role": "metadata=1:meta.v1.ObjectMeta rules=2[]:rbac.v1.PolicyRule",
  "rbac.v1.RoleBinding": "metadata=1:meta.v1.ObjectMeta subjects=2[]:rbac.v1.Subject roleRef=3:rbac.v1.RoleRef",
  "rbac.v1.RoleRef": "apiGroup=1 kind=2 name=3",
  "rbac.v1.Subject": "kind=1 apiGroup=2 name=3 namespace=4",
}
