"""Declared properties of the API objects the sandbox returns, in the server's order.

Production's XML serializer (server ``api_v3/lib/KalturaXmlSerializer.php`` and its C twin
``kaltura_serialize_xml``) writes every public property of an object, a null one as an empty
element, unless the request says ``ignoreNull=1``. The order is the PHP property table's:
the top class first (``KalturaObject.relatedObjects``), then each subclass's own properties in
declaration order (server ``api_v3/lib/reflection/KalturaTypeReflector.php::getProperties``).

Facts only: each entry is ``class: (parent, own property names)`` as declared in the server's
API type files (``api_v3/lib/types/**``, ``plugins/reach/lib/api/**``,
``plugins/content/{caption,attachment,transcript}/**/api/``, ``plugins/cue_points/**/api/``,
``plugins/schedule/base/lib/api/``) at kaltura/server c447fdb3 (2026-04-27).
"""

from __future__ import annotations

from functools import cache

_CLASSES: dict[str, tuple[str, str]] = {
    "KalturaAccessControlMessage": ("KalturaObject", "message code"),
    "KalturaAdCuePoint": (
        "KalturaCuePoint",
        "protocolType sourceUrl adType title endTime duration",
    ),
    "KalturaAlignmentVendorTaskData": (
        "KalturaVendorTaskDataCaptionAsset",
        "textTranscriptAssetId jsonTranscriptAssetId",
    ),
    "KalturaAnnotation": (
        "KalturaCuePoint",
        "parentId text endTime duration depth childrenCount directChildrenCount isPublic "
        "searchableOnEntry originalCuePointCreateAt",
    ),
    "KalturaAsset": (
        "KalturaObject",
        "id entryId partnerId version size tags fileExt createdAt updatedAt deletedAt "
        "description partnerData partnerDescription actualSourceAssetParamsIds "
        "sizeInBytes",
    ),
    "KalturaAssetResource": ("KalturaContentResource", "assetId"),
    "KalturaAttachmentAsset": ("KalturaAsset", "filename title format status"),
    "KalturaBaseEntry": (
        "KalturaObject",
        "id name description partnerId userId creatorId tags adminTags categories "
        "categoriesIds status moderationStatus moderationCount type createdAt updatedAt "
        "rank totalRank votes groupId partnerData downloadUrl searchText licenseType "
        "version thumbnailUrl accessControlId startDate endDate referenceId "
        "replacingEntryId replacedEntryId replacementStatus partnerSortValue "
        "conversionProfileId redirectEntryId rootEntryId parentEntryId "
        "operationAttributes entitledUsersEdit entitledUsersPublish entitledUsersView "
        "capabilities templateEntryId displayInSearch application applicationVersion "
        "blockAutoTranscript defaultLanguage responseLanguage",
    ),
    "KalturaBaseEntryListResponse": ("KalturaListResponse", "objects"),
    "KalturaBaseLiveScheduleEvent": ("KalturaEntryScheduleEvent", ""),
    "KalturaBaseVendorCredit": ("KalturaObject", ""),
    "KalturaCaptionAsset": (
        "KalturaAsset",
        "captionParamsId language languageCode isDefault label format source status "
        "parentId accuracy displayOnPlayer associatedTranscriptIds usage",
    ),
    "KalturaCaptionAssetListResponse": ("KalturaListResponse", "objects"),
    "KalturaCaptionPlaybackPluginData": (
        "KalturaObject",
        "label format language webVttUrl url isDefault languageCode",
    ),
    "KalturaCategoryEntry": (
        "KalturaObject",
        "categoryId entryId createdAt categoryFullIds status creatorUserId",
    ),
    "KalturaClipsVendorTaskData": (
        "KalturaLocalizedVendorTaskData",
        "clipsDuration eventSessionContextId instruction clipsOutputJson",
    ),
    "KalturaCodeCuePoint": ("KalturaCuePoint", "code description endTime duration"),
    "KalturaContentResource": ("KalturaResource", ""),
    "KalturaCuePoint": (
        "KalturaObject",
        "id intId cuePointType status entryId partnerId createdAt updatedAt triggeredAt "
        "tags startTime userId partnerData partnerSortValue forceStop thumbOffset "
        "systemName isMomentary copiedFrom",
    ),
    "KalturaCuePointListResponse": ("KalturaListResponse", "objects"),
    "KalturaDataCenterContentResource": ("KalturaContentResource", ""),
    "KalturaDictionary": ("KalturaObject", "language data"),
    "KalturaEntryScheduleEvent": (
        "KalturaScheduleEvent",
        "templateEntryId entryIds categoryIds blackoutConflicts",
    ),
    "KalturaEntryVendorTask": (
        "KalturaObject",
        "id partnerId vendorPartnerId createdAt updatedAt queueTime finishTime entryId "
        "status reachProfileId catalogItemId price userId entryObjectType unitsUsed "
        "moderatingUser errDescription accessKey version notes dictionary context "
        "accuracy outputObjectId partnerData creationMode taskJobData expectedFinishTime "
        "serviceType serviceFeature turnAroundTime externalTaskId externalObjectId "
        # Newer than the server snapshot: the generated client has it (reference §13).
        "unitsUsedArray",
    ),
    "KalturaEntryVendorTaskListResponse": ("KalturaListResponse", "objects"),
    "KalturaEntryVendorTaskUnit": ("KalturaObject", "unitsUsed serviceName"),
    "KalturaEventCuePoint": ("KalturaCuePoint", "eventType"),
    "KalturaFlavorAsset": (
        "KalturaAsset",
        "flavorParamsId width height bitrate frameRate isOriginal isWeb containerFormat "
        "videoCodecId status language label isDefault",
    ),
    "KalturaFlavorAssetListResponse": ("KalturaListResponse", "objects"),
    "KalturaGenericDataCenterContentResource": ("KalturaDataCenterContentResource", ""),
    "KalturaImmersiveAgentCallVendorTaskData": ("KalturaVendorTaskData", "callId"),
    "KalturaIntelligentTaggingVendorTaskData": ("KalturaVendorTaskData", "assetId"),
    "KalturaListResponse": ("KalturaObject", "totalCount"),
    "KalturaLiveCaptionFeature": (
        "KalturaLiveFeature",
        "mediaUrl mediaKey captionUrl captionToken inputDelay captionFormat language",
    ),
    "KalturaLiveEntry": (
        "KalturaMediaEntry",
        "offlineMessage recordStatus dvrStatus dvrWindow lastElapsedRecordingTime "
        "liveStreamConfigurations recordedEntryId pushPublishEnabled "
        "publishConfigurations firstBroadcast lastBroadcast currentBroadcastStartTime "
        "recordingOptions liveStatus segmentDuration explicitLive viewMode "
        "recordingStatus lastBroadcastEndTime broadcastTime",
    ),
    "KalturaLiveFeature": ("KalturaObject", "systemName preStartTime postEndTime"),
    "KalturaLiveStreamEntry": (
        "KalturaLiveEntry",
        "streamRemoteId streamRemoteBackupId bitrates primaryBroadcastingUrl "
        "secondaryBroadcastingUrl primarySecuredBroadcastingUrl "
        "secondarySecuredBroadcastingUrl primaryRtspBroadcastingUrl "
        "secondaryRtspBroadcastingUrl primarySrtBroadcastingUrl primarySrtStreamId "
        "secondarySrtBroadcastingUrl secondarySrtStreamId streamName streamUrl "
        "hlsStreamUrl urlManager encodingIP1 encodingIP2 streamPassword streamUsername "
        "srtPass primaryServerNodeId sipToken sipSourceType",
    ),
    "KalturaLiveStreamScheduleEvent": (
        "KalturaBaseLiveScheduleEvent",
        "sourceEntryId projectedAudience preStartTime postEndTime preStartEntryId "
        "postEndEntryId isContentInterruptible liveFeatures",
    ),
    "KalturaLocalizedVendorTaskData": ("KalturaVendorTaskData", "outputLanguage outputJson"),
    "KalturaMediaEntry": (
        "KalturaPlayableEntry",
        "mediaType conversionQuality sourceType sourceVersion searchProviderType "
        "searchProviderId creditUserName creditUrl mediaDate dataUrl flavorParamsIds "
        "isTrimDisabled streams",
    ),
    "KalturaMetadataEnrichmentVendorTaskData": (
        "KalturaLocalizedVendorTaskData",
        "detailLevel instruction shouldApply applyMode overrideFields",
    ),
    "KalturaModerationFlag": (
        "KalturaObject",
        "id partnerId userId moderationObjectType flaggedEntryId flaggedUserId status "
        "comments flagType createdAt updatedAt",
    ),
    "KalturaModerationFlagListResponse": ("KalturaListResponse", "objects"),
    "KalturaModerationVendorTaskData": (
        "KalturaVendorTaskData",
        "ruleIds policyIds categoryIds moderationOutputJson",
    ),
    "KalturaMultiLingualString": ("KalturaObject", "language value"),
    "KalturaObject": ("", "relatedObjects"),
    "KalturaPlayableEntry": (
        "KalturaBaseEntry",
        "plays views lastPlayedAt width height duration msDuration durationType",
    ),
    "KalturaPlaybackContext": (
        "KalturaObject",
        "sources playbackCaptions flavorAssets actions messages bumperData activeLiveStreamTime",
    ),
    "KalturaPlaybackSource": (
        "KalturaObject",
        "deliveryProfileId format protocols flavorIds url drm",
    ),
    "KalturaQuizVendorTaskData": (
        "KalturaLocalizedVendorTaskData",
        "numberOfQuestions questionsType context formalStyle createQuiz quizOutput instruction",
    ),
    "KalturaReachProfile": (
        "KalturaObject",
        "id name partnerId createdAt updatedAt status profileType defaultOutputFormat "
        "enableMachineModeration enableHumanModeration autoDisplayMachineCaptionsOnPlayer "
        "autoDisplayHumanCaptionsOnPlayer enableMetadataExtraction "
        "enableSpeakerChangeIndication enableAudioTags enableProfanityRemoval "
        "maxCharactersPerCaptionLine labelAdditionForMachineServiceType "
        "labelAdditionForHumanServiceType contentDeletionPolicy rules credit usedCredit "
        "dictionaries flavorParamsIds vendorTaskProcessingRegion",
    ),
    "KalturaReachProfileListResponse": ("KalturaListResponse", "objects"),
    "KalturaRemoteStorageResource": ("KalturaUrlResource", "storageProfileId"),
    "KalturaResource": ("KalturaObject", ""),
    "KalturaScheduleEvent": (
        "KalturaObject",
        "id partnerId parentId summary description status startDate endDate referenceId "
        "linkedTo linkedBy classificationType geoLatitude geoLongitude location organizer "
        "ownerId priority sequence recurrenceType duration contact comment tags createdAt "
        "updatedAt recurrence",
    ),
    "KalturaScheduledVendorTaskData": (
        "KalturaVendorTaskData",
        "startDate endDate scheduledEventId",
    ),
    "KalturaSentimentAnalysisVendorTaskData": ("KalturaVendorTaskData", "language"),
    "KalturaSessionInfo": ("KalturaObject", "ks sessionType partnerId userId expiry privileges"),
    "KalturaSpeechToVideoVendorTaskData": ("KalturaVendorTaskData", "avatarId conversionProfileId"),
    "KalturaStartWidgetSessionResponse": ("KalturaObject", "partnerId ks userId"),
    "KalturaString": ("KalturaObject", "value"),
    "KalturaStringResource": ("KalturaContentResource", "content"),
    "KalturaSummaryVendorTaskData": (
        "KalturaLocalizedVendorTaskData",
        "typeOfSummary writingStyle summaryOutputJson instruction",
    ),
    "KalturaTextualAttachmentAsset": ("KalturaAttachmentAsset", "language humanVerified"),
    "KalturaThumbCuePoint": ("KalturaCuePoint", "assetId description title subType"),
    "KalturaTranscriptAsset": ("KalturaTextualAttachmentAsset", "accuracy providerType"),
    "KalturaTranslationVendorTaskData": ("KalturaVendorTaskDataCaptionAsset", ""),
    "KalturaUnlimitedVendorCredit": ("KalturaBaseVendorCredit", "credit fromDate"),
    "KalturaUploadToken": (
        "KalturaObject",
        "id partnerId userId status fileName fileSize uploadedFileSize createdAt "
        "updatedAt uploadUrl autoFinalize attachedObjectType attachedObjectId",
    ),
    "KalturaUploadedFileTokenResource": ("KalturaGenericDataCenterContentResource", "token"),
    "KalturaUrlResource": (
        "KalturaContentResource",
        "url forceAsyncDownload urlHeaders shouldRedirect",
    ),
    "KalturaVendorAudioDescriptionCatalogItem": (
        "KalturaVendorCatalogItem",
        "flavorParamsId clearAudioFlavorParamsId",
    ),
    "KalturaVendorCaptionsCatalogItem": (
        "KalturaVendorCatalogItem",
        "outputFormat enableSpeakerId fixedPriceAddons",
    ),
    "KalturaVendorCatalogItem": (
        "KalturaObject",
        "id vendorPartnerId name systemName createdAt updatedAt status serviceType "
        "serviceFeature turnAroundTime pricing engineType sourceLanguage "
        "allowResubmission payPerUse vendorData stage lastBulkUpdateId contract createdBy "
        "notes partnerId defaultReachProfileId adminTagsToExclude",
    ),
    "KalturaVendorCatalogItemListResponse": ("KalturaListResponse", "objects"),
    "KalturaVendorCatalogItemPricing": ("KalturaObject", "pricePerUnit priceFunction"),
    "KalturaVendorChapteringCatalogItem": ("KalturaVendorCatalogItem", ""),
    "KalturaVendorDubbingCatalogItem": (
        "KalturaVendorCatalogItem",
        "flavorParamsId clearAudioFlavorParamsId targetLanguage",
    ),
    "KalturaVendorExtendedAudioDescriptionCatalogItem": (
        "KalturaVendorCatalogItem",
        "flavorParamsId clearAudioFlavorParamsId outputFormat",
    ),
    "KalturaVendorLiveCaptionCatalogItem": (
        "KalturaVendorLiveCatalogItem",
        "startTimeBuffer endTimeBuffer",
    ),
    "KalturaVendorLiveCatalogItem": (
        "KalturaVendorCaptionsCatalogItem",
        "minimalRefundTime minimalOrderTime durationLimit",
    ),
    "KalturaVendorModerationCatalogItem": ("KalturaVendorCatalogItem", ""),
    "KalturaVendorSignLanguageCatalogItem": ("KalturaVendorCatalogItem", "targetLanguage"),
    "KalturaVendorTaskData": ("KalturaObject", "entryDuration"),
    "KalturaVendorTaskDataCaptionAsset": ("KalturaVendorTaskData", "captionAssetId"),
    "KalturaVendorTranslationCatalogItem": (
        "KalturaVendorCaptionsCatalogItem",
        "targetLanguage requireSource",
    ),
}


@cache
def properties(object_type: str) -> tuple[str, ...]:
    """Every property of ``object_type`` in serialization order; ``()`` when unknown."""
    entry = _CLASSES.get(object_type)
    if entry is None:
        return ()
    parent, own = entry
    inherited = properties(parent) if parent else ()
    return inherited + tuple(own.split())


def known(object_type: str) -> bool:
    """Whether the sandbox knows the declared properties of ``object_type``."""
    return object_type in _CLASSES
