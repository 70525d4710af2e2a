// Generated from openapi.yaml by deploy/tools/openapi.py; do not edit.
enum OpenAPIDocument {
    static let json = #"""
        {
         "components": {
          "headers": {
           "RateLimit-Limit": {
            "description": "Capacity of the tightest rate-limit bucket this request counted against.",
            "required": true,
            "schema": {
             "minimum": 0,
             "type": "integer"
            }
           },
           "RateLimit-Remaining": {
            "description": "Requests left in that bucket after this one.",
            "required": true,
            "schema": {
             "minimum": 0,
             "type": "integer"
            }
           },
           "RateLimit-Reset": {
            "description": "Seconds until that bucket is full again.",
            "required": true,
            "schema": {
             "minimum": 0,
             "type": "integer"
            }
           },
           "Retry-After": {
            "description": "Seconds to wait before the request would be allowed.",
            "required": true,
            "schema": {
             "minimum": 1,
             "type": "integer"
            }
           },
           "X-Request-ID": {
            "description": "The request's id (the caller's `X-Request-ID` when acceptable, else a fresh one).",
            "required": true,
            "schema": {
             "maxLength": 128,
             "minLength": 1,
             "type": "string"
            }
           }
          },
          "parameters": {
           "AssistantID": {
            "description": "The assistant's id. Anything but a UUID is 404.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           },
           "CollectionID": {
            "description": "The collection's id. Anything but a UUID is 404.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           },
           "ConversationArchived": {
            "description": "`true` lists archived conversations instead of the others.",
            "in": "query",
            "name": "archived",
            "required": false,
            "schema": {
             "default": false,
             "type": "boolean"
            }
           },
           "ConversationID": {
            "description": "The conversation's id. Anything but a UUID is 404.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           },
           "DocumentID": {
            "description": "The document's id. Anything but a UUID is 404.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           },
           "ExportFormat": {
            "description": "`json` (default), or `markdown` (`md`).",
            "in": "query",
            "name": "format",
            "required": false,
            "schema": {
             "default": "json",
             "enum": [
              "json",
              "markdown",
              "md"
             ],
             "type": "string"
            }
           },
           "FeedbackKind": {
            "description": "Ratings or reports.",
            "in": "query",
            "name": "kind",
            "required": false,
            "schema": {
             "default": "rating",
             "enum": [
              "rating",
              "report"
             ],
             "type": "string"
            }
           },
           "IdempotencyKey": {
            "description": "1-200 characters naming this question (per user): a retry with the same key is not\nanswered again but gets the stored answer (or 409 while it is still being answered).\n",
            "in": "header",
            "name": "Idempotency-Key",
            "required": false,
            "schema": {
             "maxLength": 200,
             "minLength": 1,
             "type": "string"
            }
           },
           "MessageID": {
            "description": "The answer's (an assistant message's) id. Anything but a UUID is 404.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           },
           "PageCursor": {
            "description": "The `next_cursor` of the previous page; anything else is 400.",
            "in": "query",
            "name": "cursor",
            "required": false,
            "schema": {
             "maxLength": 200,
             "type": "string"
            }
           },
           "PageLimit": {
            "description": "Items per page; outside 1-200 is 400.",
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
             "default": 50,
             "maximum": 200,
             "minimum": 1,
             "type": "integer"
            }
           },
           "PathTenantID": {
            "description": "The tenant. Tenant admins may name only their own (another tenant's id is 404, like an\nid that is not a UUID); system admins any.\n",
            "in": "path",
            "name": "tenant_id",
            "required": true,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           },
           "PlanName": {
            "description": "The plan's name (`free`, `pro`, `enterprise`, ...). An unknown name is 404; for PUT a\nname that does not match the pattern is 400.\n",
            "in": "path",
            "name": "name",
            "required": true,
            "schema": {
             "$ref": "#/components/schemas/PlanName"
            }
           },
           "SearchCollectionID": {
            "description": "The collection's id, as ingestion gives it (a lower-case UUID).",
            "in": "path",
            "name": "collection_id",
            "required": true,
            "schema": {
             "type": "string"
            }
           },
           "TenantID": {
            "description": "The tenant to act on. Required for system admins; others may name only their own\ntenant (another tenant's id is 404). Not a UUID: 400.\n",
            "in": "query",
            "name": "tenant_id",
            "required": false,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           },
           "UsageUserID": {
            "description": "Only this caller's use: a user id, API key id or service name, as the usage was\nrecorded. Callers without `billing:read` may name only themselves (anyone else is 404).\n",
            "in": "query",
            "name": "user_id",
            "required": false,
            "schema": {
             "type": "string"
            }
           },
           "UserID": {
            "description": "The user's id. Anything but a UUID is 404.",
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
             "format": "uuid",
             "type": "string"
            }
           }
          },
          "responses": {
           "BadGateway": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`BAD_GATEWAY`: the service behind the gateway failed to answer.",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "Conflict": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`CONFLICT`: the object is not in a state that allows this; the message says why.",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "CredentialsRefused": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`INVALID_CREDENTIALS` (wrong tenant, email, password or code, or an account that may\nnot log in: one answer for all) or `INVALID_TOKEN` (an unknown, used, revoked or\nexpired token).\n",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "Forbidden": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`FORBIDDEN`: the credential lacks a permission (`details.permission` names it), or the\naction would grant or touch more than the caller holds.\n",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "InvalidRequest": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`INVALID_REQUEST`: malformed JSON, a missing or mistyped field, or a value the service\ndoes not accept; the message says which.\n",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "InvalidRequestAuthenticated": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`INVALID_REQUEST`: both `Authorization` and `X-API-Key` were sent (answered before the\nrate limiter, without `RateLimit-*` headers); or malformed JSON, a missing or mistyped\nfield, a value the service does not accept, a malformed `?tenant_id=`, a system admin\nnot naming the tenant, or an operation for users only called with an API key (these\nwith `RateLimit-*` headers).\n",
            "headers": {
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "NotFound": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`NOT_FOUND`: no such object in the tenant, or another tenant (named or owning it).",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "PayloadTooLarge": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`PAYLOAD_TOO_LARGE`: the body exceeds the limit (`details.limit_bytes`). A body declared\ntoo large for the server is refused before the rate limiter, without `RateLimit-*`\nheaders.\n",
            "headers": {
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "RateLimited": {
            "content": {
             "application/json": {
              "example": {
               "error": {
                "code": "RATE_LIMITED",
                "details": {
                 "limit": 100,
                 "retry_after_seconds": 2
                },
                "message": "too many requests: retry in 2 s",
                "request_id": "0b6f3c1e-5d2a-4f8e-9c7b-1a2b3c4d5e6f"
               }
              },
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`RATE_LIMITED`: over the rate limit; `CONCURRENCY_LIMITED`: too many of the organisation's requests in flight. `details` has `limit` and `retry_after_seconds`.",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "Retry-After": {
              "$ref": "#/components/headers/Retry-After"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "RateLimitedOrQuotaExceeded": {
            "content": {
             "application/json": {
              "examples": {
               "quotaExceeded": {
                "summary": "Quota used up",
                "value": {
                 "error": {
                  "code": "QUOTA_EXCEEDED",
                  "details": {
                   "current_usage": 100,
                   "limit": 100,
                   "reset_at": "2026-12-01T00:00:00Z",
                   "resource": "messages"
                  },
                  "message": "the messages quota of this plan is used up",
                  "request_id": "0b6f3c1e-5d2a-4f8e-9c7b-1a2b3c4d5e6f"
                 }
                }
               },
               "rateLimited": {
                "summary": "Over the rate limit",
                "value": {
                 "error": {
                  "code": "RATE_LIMITED",
                  "details": {
                   "limit": 30,
                   "retry_after_seconds": 2
                  },
                  "message": "too many requests: retry in 2 s",
                  "request_id": "0b6f3c1e-5d2a-4f8e-9c7b-1a2b3c4d5e6f"
                 }
                }
               }
              },
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`RATE_LIMITED`: over the rate limit, with `Retry-After` and `details`\n`{limit, retry_after_seconds}`; `CONCURRENCY_LIMITED`: too many of the organisation's\nrequests in flight, the same way; or `QUOTA_EXCEEDED`: the plan's quota for this is used\nup, without `Retry-After`, with `details` `{resource, current_usage, limit, reset_at}`\n(`reset_at` absent for quotas that never reset).\n",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "Retry-After": {
              "description": "Seconds to wait (`RATE_LIMITED` and `CONCURRENCY_LIMITED` only).",
              "required": false,
              "schema": {
               "minimum": 1,
               "type": "integer"
              }
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "RequestTimeout": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`REQUEST_TIMEOUT`: the request body did not arrive within 30 s.",
            "headers": {
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "Unauthenticated": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`UNAUTHENTICATED`: no credential, or one that is malformed, invalid, expired, revoked,\nor a service's. Answered by the gateway before the rate limiter, so without\n`RateLimit-*` headers.\n",
            "headers": {
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "Unavailable": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`UNAVAILABLE`: the service behind the gateway cannot be reached (with `RateLimit-*`\nheaders), or an API key cannot be verified right now (before the rate limiter, without).\n",
            "headers": {
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           },
           "UpstreamTimeout": {
            "content": {
             "application/json": {
              "schema": {
               "$ref": "#/components/schemas/Error"
              }
             }
            },
            "description": "`UPSTREAM_TIMEOUT`: the service behind the gateway did not answer in time (30 s unless the operation says otherwise).",
            "headers": {
             "RateLimit-Limit": {
              "$ref": "#/components/headers/RateLimit-Limit"
             },
             "RateLimit-Remaining": {
              "$ref": "#/components/headers/RateLimit-Remaining"
             },
             "RateLimit-Reset": {
              "$ref": "#/components/headers/RateLimit-Reset"
             },
             "X-Request-ID": {
              "$ref": "#/components/headers/X-Request-ID"
             }
            }
           }
          },
          "schemas": {
           "APIKey": {
            "properties": {
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "created_by": {
              "description": "The creating user's (or API key's) id.",
              "format": "uuid",
              "type": "string"
             },
             "expires_at": {
              "description": "Absent for keys that do not expire.",
              "format": "date-time",
              "type": [
               "string",
               "null"
              ]
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "last_used_at": {
              "description": "Updated at most once a minute; absent if never used.",
              "format": "date-time",
              "type": [
               "string",
               "null"
              ]
             },
             "name": {
              "type": "string"
             },
             "prefix": {
              "description": "The key's public part (`cairn_<prefix>_...`).",
              "type": "string"
             },
             "role": {
              "$ref": "#/components/schemas/Role"
             },
             "scopes": {
              "items": {
               "$ref": "#/components/schemas/Permission"
              },
              "type": "array"
             }
            },
            "required": [
             "id",
             "name",
             "prefix",
             "role",
             "scopes",
             "created_by",
             "created_at"
            ],
            "type": "object"
           },
           "APIKeyList": {
            "properties": {
             "api_keys": {
              "items": {
               "$ref": "#/components/schemas/APIKey"
              },
              "type": "array"
             }
            },
            "required": [
             "api_keys"
            ],
            "type": "object"
           },
           "AcceptedDocument": {
            "properties": {
             "document_id": {
              "format": "uuid",
              "type": "string"
             },
             "status": {
              "enum": [
               "pending"
              ],
              "type": "string"
             },
             "status_url": {
              "description": "`/v1/documents/{document_id}`.",
              "type": "string"
             }
            },
            "required": [
             "document_id",
             "status",
             "status_url"
            ],
            "type": "object"
           },
           "AnswerMetadata": {
            "properties": {
             "cached": {
              "description": "From the answer cache (no generation, `generation_ms` and tokens 0; still a metered message).",
              "type": "boolean"
             },
             "completion_tokens": {
              "type": "integer"
             },
             "degraded": {
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "generation_ms": {
              "type": "integer"
             },
             "interrupted": {
              "type": "boolean"
             },
             "latency_ms": {
              "type": "integer"
             },
             "model": {
              "type": "string"
             },
             "prompt_tokens": {
              "type": "integer"
             },
             "replayed": {
              "description": "A stored answer given again for a repeated Idempotency-Key.",
              "type": "boolean"
             },
             "retrieval_ms": {
              "type": "integer"
             },
             "rewritten_query": {
              "description": "The question as searched",
              "type": "string",
              "when rewritten from the history.": null
             },
             "strategy": {
              "type": "string"
             },
             "tools": {
              "description": "The assistant's HTTP tools called for this answer (absent on a replay).",
              "items": {
               "$ref": "#/components/schemas/ToolRun"
              },
              "type": "array"
             }
            },
            "required": [
             "retrieval_ms",
             "generation_ms",
             "latency_ms",
             "cached",
             "degraded",
             "interrupted",
             "replayed"
            ],
            "type": "object"
           },
           "Assistant": {
            "properties": {
             "collection_ids": {
              "description": "The collections searched; empty is every collection of the tenant.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "filters": {
              "$ref": "#/components/schemas/ChatFilters"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "instructions": {
              "type": "string"
             },
             "is_default": {
              "type": "boolean"
             },
             "max_tokens": {
              "description": "Absent when the model's default applies.",
              "type": "integer"
             },
             "model": {
              "type": "string"
             },
             "name": {
              "type": "string"
             },
             "strategy": {
              "$ref": "#/components/schemas/RetrievalStrategy"
             },
             "temperature": {
              "description": "Absent when the model's default applies.",
              "type": "number"
             },
             "tenant_id": {
              "format": "uuid",
              "type": "string"
             },
             "tools": {
              "items": {
               "$ref": "#/components/schemas/AssistantTool"
              },
              "type": "array"
             },
             "top_k": {
              "type": "integer"
             },
             "updated_at": {
              "format": "date-time",
              "type": "string"
             }
            },
            "required": [
             "id",
             "tenant_id",
             "name",
             "instructions",
             "model",
             "collection_ids",
             "strategy",
             "top_k",
             "filters",
             "is_default",
             "created_at",
             "updated_at"
            ],
            "type": "object"
           },
           "AssistantInput": {
            "description": "Creating needs `name`; changing sets only the fields given.",
            "properties": {
             "collection_ids": {
              "items": {
               "minLength": 1,
               "type": "string"
              },
              "maxItems": 100,
              "type": "array"
             },
             "filters": {
              "$ref": "#/components/schemas/ChatFilters"
             },
             "instructions": {
              "maxLength": 20000,
              "type": "string"
             },
             "max_tokens": {
              "maximum": 131072,
              "minimum": 1,
              "type": "integer"
             },
             "model": {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
             },
             "name": {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
             },
             "strategy": {
              "$ref": "#/components/schemas/RetrievalStrategy"
             },
             "temperature": {
              "maximum": 2,
              "minimum": 0,
              "type": "number"
             },
             "tools": {
              "items": {
               "$ref": "#/components/schemas/AssistantTool"
              },
              "maxItems": 10,
              "type": "array"
             },
             "top_k": {
              "maximum": 100,
              "minimum": 1,
              "type": "integer"
             }
            },
            "type": "object"
           },
           "AssistantList": {
            "properties": {
             "assistants": {
              "items": {
               "$ref": "#/components/schemas/Assistant"
              },
              "type": "array"
             }
            },
            "required": [
             "assistants"
            ],
            "type": "object"
           },
           "AssistantTool": {
            "description": "An outside endpoint the orchestrator calls for context (a CRM record, say); its result is\na source of `type: tool`. It is called when the request names it in `tool_calls`, or else\nwhen every required argument is found in the question by its `pattern`. Calls are bounded\nby `timeout_ms` and `max_response_bytes`, follow no redirects, and are refused for\nloopback, private, link-local (metadata) and other non-public addresses unless the host is\nin `CAIRN_CHAT_TOOL_ALLOWED_HOSTS`. A failed call leaves the answer without it\n(`metadata.tools`, `degraded: tool_unavailable`).\n",
            "properties": {
             "arguments_schema": {
              "description": "JSON Schema subset: `properties` of `type` string, integer, number or boolean with an optional `pattern` (matched against the whole value), and `required`.",
              "type": "object"
             },
             "auth": {
              "description": "The header carrying a secret of the orchestrator's configuration (`CAIRN_CHAT_TOOL_SECRET_<secret>`); no secret value is ever stored or returned. A missing secret fails the call closed (nothing sent).",
              "properties": {
               "header": {
                "type": "string"
               },
               "prefix": {
                "description": "e.g. `Bearer `",
                "maxLength": 50,
                "type": "string"
               },
               "secret": {
                "pattern": "^[A-Z][A-Z0-9_]{0,63}$",
                "type": "string"
               }
              },
              "required": [
               "header",
               "secret"
              ],
              "type": "object"
             },
             "description": {
              "maxLength": 1000,
              "type": "string"
             },
             "max_response_bytes": {
              "default": 65536,
              "maximum": 1048576,
              "minimum": 1,
              "type": "integer"
             },
             "method": {
              "default": "GET",
              "description": "GET: arguments not in the template go in the query; POST: all arguments as a JSON body.",
              "enum": [
               "GET",
               "POST"
              ],
              "type": "string"
             },
             "name": {
              "pattern": "^[a-z][a-z0-9_]{0,63}$",
              "type": "string"
             },
             "timeout_ms": {
              "default": 2000,
              "maximum": 10000,
              "minimum": 100,
              "type": "integer"
             },
             "url_template": {
              "description": "An http(s) URL; `{argument}` placeholders (required arguments only, not in the host) are percent-encoded in.",
              "maxLength": 2000,
              "type": "string"
             }
            },
            "required": [
             "name",
             "url_template"
            ],
            "type": "object"
           },
           "AuditEvent": {
            "properties": {
             "action": {
              "description": "`auth.login`, `user.lockout`, `api_key.create`, ...",
              "type": "string"
             },
             "actor_id": {
              "description": "Empty for anonymous actors.",
              "type": "string"
             },
             "actor_type": {
              "description": "`user`, `api_key`, `service` or `anonymous`.",
              "type": "string"
             },
             "details": {
              "additionalProperties": {
               "type": "string"
              },
              "type": "object"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "ip": {
              "type": "string"
             },
             "occurred_at": {
              "format": "date-time",
              "type": "string"
             },
             "outcome": {
              "description": "`success`, `failure` or `denied`.",
              "type": "string"
             },
             "producer": {
              "description": "The service that recorded it (`auth`, `gateway`, ...).",
              "type": "string"
             },
             "request_id": {
              "type": "string"
             },
             "target_id": {
              "type": "string"
             },
             "target_type": {
              "type": "string"
             },
             "user_agent": {
              "type": "string"
             }
            },
            "required": [
             "id",
             "occurred_at",
             "actor_type",
             "actor_id",
             "action",
             "target_type",
             "target_id",
             "outcome",
             "ip",
             "user_agent",
             "details",
             "producer",
             "request_id"
            ],
            "type": "object"
           },
           "AuditPage": {
            "properties": {
             "events": {
              "items": {
               "$ref": "#/components/schemas/AuditEvent"
              },
              "type": "array"
             },
             "next_cursor": {
              "description": "The `cursor` of the next page; absent on the last page.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "events"
            ],
            "type": "object"
           },
           "ChatAnswer": {
            "properties": {
             "conversation_id": {
              "format": "uuid",
              "type": "string"
             },
             "message": {
              "$ref": "#/components/schemas/Message"
             },
             "message_id": {
              "format": "uuid",
              "type": "string"
             },
             "metadata": {
              "$ref": "#/components/schemas/AnswerMetadata"
             },
             "user_message_id": {
              "description": "The stored question (absent in a replay).",
              "format": "uuid",
              "type": "string"
             }
            },
            "required": [
             "conversation_id",
             "message_id",
             "metadata"
            ],
            "type": "object"
           },
           "ChatCompletion": {
            "properties": {
             "choices": {
              "items": {
               "properties": {
                "finish_reason": {
                 "description": "`length`: cut at `max_tokens` (a marker says the answer is incomplete).",
                 "enum": [
                  "stop",
                  "length",
                  "content_filter"
                 ],
                 "type": "string"
                },
                "index": {
                 "const": 0,
                 "type": "integer"
                },
                "logprobs": {
                 "type": "null"
                },
                "message": {
                 "properties": {
                  "content": {
                   "type": "string"
                  },
                  "refusal": {
                   "type": "null"
                  },
                  "role": {
                   "const": "assistant",
                   "type": "string"
                  }
                 },
                 "required": [
                  "role",
                  "content",
                  "refusal"
                 ],
                 "type": "object"
                }
               },
               "required": [
                "index",
                "message",
                "logprobs",
                "finish_reason"
               ],
               "type": "object"
              },
              "maxItems": 1,
              "minItems": 1,
              "type": "array"
             },
             "created": {
              "description": "Unix seconds.",
              "type": "integer"
             },
             "id": {
              "description": "`chatcmpl-<32 hex>`.",
              "type": "string"
             },
             "model": {
              "description": "The model that answered (an alias resolved).",
              "type": "string"
             },
             "object": {
              "const": "chat.completion",
              "type": "string"
             },
             "system_fingerprint": {
              "type": "null"
             },
             "usage": {
              "$ref": "#/components/schemas/ChatUsage"
             }
            },
            "required": [
             "id",
             "object",
             "created",
             "model",
             "system_fingerprint",
             "choices",
             "usage"
            ],
            "type": "object"
           },
           "ChatCompletionChunk": {
            "description": "One `data:` event of a streamed completion.",
            "properties": {
             "choices": {
              "description": "Empty in the usage chunk.",
              "items": {
               "properties": {
                "delta": {
                 "properties": {
                  "content": {
                   "type": "string"
                  },
                  "role": {
                   "const": "assistant",
                   "type": "string"
                  }
                 },
                 "type": "object"
                },
                "finish_reason": {
                 "enum": [
                  "stop",
                  "length",
                  "content_filter",
                  null
                 ],
                 "type": [
                  "string",
                  "null"
                 ]
                },
                "index": {
                 "const": 0,
                 "type": "integer"
                },
                "logprobs": {
                 "type": "null"
                }
               },
               "required": [
                "index",
                "delta",
                "logprobs",
                "finish_reason"
               ],
               "type": "object"
              },
              "type": "array"
             },
             "created": {
              "type": "integer"
             },
             "id": {
              "type": "string"
             },
             "model": {
              "type": "string"
             },
             "object": {
              "const": "chat.completion.chunk",
              "type": "string"
             },
             "system_fingerprint": {
              "type": "null"
             },
             "usage": {
              "$ref": "#/components/schemas/ChatUsage"
             }
            },
            "required": [
             "id",
             "object",
             "created",
             "model",
             "system_fingerprint",
             "choices"
            ],
            "type": "object"
           },
           "ChatCompletionMessage": {
            "properties": {
             "content": {
              "description": "Text, or an array of text parts (other part types are 400); absent or `null` is empty.",
              "oneOf": [
               {
                "type": "string"
               },
               {
                "items": {
                 "properties": {
                  "text": {
                   "type": "string"
                  },
                  "type": {
                   "const": "text",
                   "type": "string"
                  }
                 },
                 "required": [
                  "type"
                 ],
                 "type": "object"
                },
                "type": "array"
               },
               {
                "type": "null"
               }
              ]
             },
             "role": {
              "description": "Any other role is 400.",
              "enum": [
               "system",
               "developer",
               "user",
               "assistant"
              ],
              "type": "string"
             }
            },
            "required": [
             "role"
            ],
            "type": "object"
           },
           "ChatCompletionRequest": {
            "properties": {
             "max_completion_tokens": {
              "description": "Wins over `max_tokens`.",
              "type": "integer"
             },
             "max_tokens": {
              "description": "Clamped to 1 and the model's and service's limits; default 1024.",
              "type": "integer"
             },
             "messages": {
              "description": "The conversation, ending with the user's message; each text at most 100,000\ncharacters, at most 100 earlier `user`/`assistant` messages.\n",
              "items": {
               "$ref": "#/components/schemas/ChatCompletionMessage"
              },
              "minItems": 1,
              "type": "array"
             },
             "model": {
              "description": "A model id or alias; default the configured default (`default`).",
              "type": "string"
             },
             "n": {
              "const": 1,
              "description": "Only 1 (anything else is 400).",
              "type": "integer"
             },
             "sources": {
              "description": "Cairn's extension (OpenAI SDKs send it with `extra_body`), the context to ground the answer in.",
              "items": {
               "$ref": "#/components/schemas/ChatSource"
              },
              "maxItems": 64,
              "type": "array"
             },
             "stop": {
              "description": "Up to 4 sequences that end the answer (more are ignored, each cut to 64 characters).",
              "oneOf": [
               {
                "type": "string"
               },
               {
                "items": {
                 "type": "string"
                },
                "type": "array"
               }
              ]
             },
             "stream": {
              "default": false,
              "type": "boolean"
             },
             "stream_options": {
              "properties": {
               "include_usage": {
                "description": "Send a usage chunk (empty `choices`) before `[DONE]`.",
                "type": "boolean"
               }
              },
              "type": "object"
             },
             "temperature": {
              "description": "Clamped to 0-1; default 0 (0 answers may come from a cache).",
              "type": "number"
             },
             "top_p": {
              "description": "Clamped to 0.1-1; default 1.",
              "type": "number"
             }
            },
            "required": [
             "messages"
            ],
            "type": "object"
           },
           "ChatDeltaEvent": {
            "description": "A `delta` event.",
            "properties": {
             "text": {
              "type": "string"
             }
            },
            "required": [
             "text"
            ],
            "type": "object"
           },
           "ChatErrorEvent": {
            "description": "The `error` event; a partial answer, if any, was kept as `partial_message_id`.",
            "properties": {
             "error": {
              "properties": {
               "code": {
                "type": "string"
               },
               "message": {
                "type": "string"
               },
               "request_id": {
                "type": "string"
               }
              },
              "required": [
               "code",
               "message",
               "request_id"
              ],
              "type": "object"
             },
             "partial_message_id": {
              "format": "uuid",
              "type": "string"
             },
             "user_message_id": {
              "format": "uuid",
              "type": "string"
             }
            },
            "required": [
             "error",
             "user_message_id"
            ],
            "type": "object"
           },
           "ChatFilters": {
            "description": "Retrieval filters; a request's fields override the assistant's one by one.",
            "properties": {
             "category": {
              "type": "string"
             },
             "date_from": {
              "description": "ISO 8601 date-time.",
              "type": "string"
             },
             "date_to": {
              "description": "ISO 8601 date-time.",
              "type": "string"
             },
             "document_ids": {
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "source": {
              "type": "string"
             },
             "tags_all": {
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "tags_any": {
              "items": {
               "type": "string"
              },
              "type": "array"
             }
            },
            "type": "object"
           },
           "ChatModel": {
            "properties": {
             "capabilities": {
              "description": "Models only: `chat`, `stream`, `citations`, ...",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "context_window": {
              "description": "Models only.",
              "type": "integer"
             },
             "created": {
              "const": 0,
              "type": "integer"
             },
             "fallbacks": {
              "description": "Aliases only: the models tried, in order.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "id": {
              "type": "string"
             },
             "input_price_per_1k": {
              "000 prompt tokens; models only.": null,
              "description": "US dollars per 1",
              "type": "number"
             },
             "max_output_tokens": {
              "description": "Models only.",
              "type": "integer"
             },
             "object": {
              "const": "model",
              "type": "string"
             },
             "output_price_per_1k": {
              "000 answer tokens; models only.": null,
              "description": "US dollars per 1",
              "type": "number"
             },
             "owned_by": {
              "description": "The provider; `cairn-alias` for an alias.",
              "type": "string"
             }
            },
            "required": [
             "id",
             "object",
             "created",
             "owned_by"
            ],
            "type": "object"
           },
           "ChatModelList": {
            "properties": {
             "data": {
              "items": {
               "$ref": "#/components/schemas/ChatModel"
              },
              "type": "array"
             },
             "object": {
              "const": "list",
              "type": "string"
             }
            },
            "required": [
             "object",
             "data"
            ],
            "type": "object"
           },
           "ChatRequest": {
            "allOf": [
             {
              "$ref": "#/components/schemas/MessageRequest"
             },
             {
              "properties": {
               "assistant_id": {
                "description": "The new conversation's assistant (default the tenant's).",
                "format": "uuid",
                "type": "string"
               }
              },
              "type": "object"
             }
            ]
           },
           "ChatSource": {
            "properties": {
             "id": {
              "description": "Default its position from 1.",
              "type": "string"
             },
             "score": {
              "type": "number"
             },
             "text": {
              "maxLength": 100000,
              "type": "string"
             },
             "title": {
              "type": "string"
             }
            },
            "required": [
             "text"
            ],
            "type": "object"
           },
           "ChatSourcesEvent": {
            "description": "The `sources` event.",
            "properties": {
             "degraded": {
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "retrieval_ms": {
              "type": "integer"
             },
             "sources": {
              "items": {
               "$ref": "#/components/schemas/MessageSource"
              },
              "type": "array"
             },
             "strategy": {
              "type": "string"
             }
            },
            "required": [
             "sources",
             "strategy",
             "retrieval_ms",
             "degraded"
            ],
            "type": "object"
           },
           "ChatUsage": {
            "properties": {
             "completion_tokens": {
              "minimum": 0,
              "type": "integer"
             },
             "prompt_tokens": {
              "minimum": 0,
              "type": "integer"
             },
             "total_tokens": {
              "minimum": 0,
              "type": "integer"
             }
            },
            "required": [
             "prompt_tokens",
             "completion_tokens",
             "total_tokens"
            ],
            "type": "object"
           },
           "ChunkOverlap": {
            "description": "Tokens each chunk repeats from the previous one; at most `(chunk_size - 2) / 2`.",
            "minimum": 0,
            "type": "integer"
           },
           "ChunkSize": {
            "description": "Most tokens per chunk (the embedding model's tokens, [CLS] and [SEP] included).",
            "maximum": 256,
            "minimum": 16,
            "type": "integer"
           },
           "CodeRequest": {
            "properties": {
             "code": {
              "$ref": "#/components/schemas/TOTPCode"
             }
            },
            "required": [
             "code"
            ],
            "type": "object"
           },
           "Collection": {
            "example": {
             "chunk_overlap": 32,
             "chunk_size": 256,
             "created_at": "2026-01-31T09:30:00Z",
             "description": "HR policies",
             "embedding_model": "all-MiniLM-L6-v2",
             "id": "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
             "name": "Handbook",
             "updated_at": "2026-01-31T09:30:00Z"
            },
            "properties": {
             "chunk_overlap": {
              "description": "About how many tokens each chunk repeats from the previous one.",
              "minimum": 0,
              "type": "integer"
             },
             "chunk_size": {
              "description": "Most tokens per chunk.",
              "maximum": 256,
              "minimum": 16,
              "type": "integer"
             },
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "description": {
              "description": "Empty when none was given.",
              "type": "string"
             },
             "embedding_model": {
              "description": "As given at creation; fixed.",
              "type": "string"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "name": {
              "description": "Unique among the tenant's live collections.",
              "type": "string"
             },
             "updated_at": {
              "format": "date-time",
              "type": "string"
             }
            },
            "required": [
             "id",
             "name",
             "description",
             "chunk_size",
             "chunk_overlap",
             "embedding_model",
             "created_at",
             "updated_at"
            ],
            "type": "object"
           },
           "CollectionCreateRequest": {
            "properties": {
             "chunk_overlap": {
              "$ref": "#/components/schemas/ChunkOverlap",
              "default": 32
             },
             "chunk_size": {
              "$ref": "#/components/schemas/ChunkSize",
              "default": 256
             },
             "description": {
              "$ref": "#/components/schemas/CollectionDescription",
              "default": ""
             },
             "embedding_model": {
              "default": "all-MiniLM-L6-v2",
              "description": "1-200 characters, recorded with the collection; cannot change later. Not checked\nagainst the served models, and not what picks the model chunks are embedded with\n(the embedding service's configuration does).\n",
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
             },
             "name": {
              "$ref": "#/components/schemas/CollectionName"
             }
            },
            "required": [
             "name"
            ],
            "type": "object"
           },
           "CollectionDescription": {
            "description": "At most 2,000 characters, no NUL.",
            "maxLength": 2000,
            "type": "string"
           },
           "CollectionName": {
            "description": "Trimmed, 1-200 characters, no NUL.",
            "maxLength": 200,
            "minLength": 1,
            "type": "string"
           },
           "CollectionPage": {
            "properties": {
             "collections": {
              "items": {
               "$ref": "#/components/schemas/Collection"
              },
              "type": "array"
             },
             "next_cursor": {
              "description": "The `cursor` of the next page; `null` on the last page.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "collections",
             "next_cursor"
            ],
            "type": "object"
           },
           "CollectionUpdateRequest": {
            "description": "Any of the fields; those absent stay as they are.",
            "properties": {
             "chunk_overlap": {
              "$ref": "#/components/schemas/ChunkOverlap"
             },
             "chunk_size": {
              "$ref": "#/components/schemas/ChunkSize"
             },
             "description": {
              "$ref": "#/components/schemas/CollectionDescription"
             },
             "embedding_model": {
              "description": "Accepted only when equal to the collection's (any other value is 400).",
              "type": "string"
             },
             "name": {
              "$ref": "#/components/schemas/CollectionName"
             }
            },
            "type": "object"
           },
           "Conversation": {
            "properties": {
             "archived": {
              "type": "boolean"
             },
             "assistant_id": {
              "format": "uuid",
              "type": "string"
             },
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "tenant_id": {
              "format": "uuid",
              "type": "string"
             },
             "title": {
              "type": "string"
             },
             "updated_at": {
              "format": "date-time",
              "type": "string"
             },
             "user_id": {
              "type": "string"
             }
            },
            "required": [
             "id",
             "tenant_id",
             "user_id",
             "assistant_id",
             "title",
             "archived",
             "created_at",
             "updated_at"
            ],
            "type": "object"
           },
           "ConversationCreateRequest": {
            "properties": {
             "assistant_id": {
              "format": "uuid",
              "type": "string"
             },
             "title": {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
             }
            },
            "type": "object"
           },
           "ConversationExport": {
            "properties": {
             "conversation": {
              "$ref": "#/components/schemas/Conversation"
             },
             "messages": {
              "items": {
               "$ref": "#/components/schemas/Message"
              },
              "type": "array"
             }
            },
            "required": [
             "conversation",
             "messages"
            ],
            "type": "object"
           },
           "ConversationPage": {
            "properties": {
             "conversations": {
              "items": {
               "$ref": "#/components/schemas/Conversation"
              },
              "type": "array"
             },
             "next_cursor": {
              "description": "The `cursor` of the next page; `null` on the last page.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "conversations",
             "next_cursor"
            ],
            "type": "object"
           },
           "ConversationUpdateRequest": {
            "properties": {
             "archived": {
              "type": "boolean"
             },
             "title": {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
             }
            },
            "type": "object"
           },
           "CreateAPIKeyRequest": {
            "properties": {
             "expires_in_days": {
              "description": "Absent for a key that does not expire.",
              "maximum": 3650,
              "minimum": 1,
              "type": "integer"
             },
             "name": {
              "description": "Trimmed, 1-100 characters, no control characters.",
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
             },
             "scopes": {
              "description": "Permissions the key may use, each held by the creator. Default a member's.",
              "items": {
               "$ref": "#/components/schemas/Permission"
              },
              "maxItems": 64,
              "minItems": 1,
              "type": "array"
             }
            },
            "required": [
             "name"
            ],
            "type": "object"
           },
           "CreateSubscriptionRequest": {
            "properties": {
             "billing_cycle": {
              "default": "monthly",
              "enum": [
               "monthly",
               "yearly"
              ],
              "type": "string"
             },
             "plan": {
              "$ref": "#/components/schemas/PlanName",
              "description": "An existing plan (400 otherwise)."
             },
             "trial_days": {
              "default": 0,
              "description": "Days of trial (status `trialing`); 0 for none.",
              "maximum": 90,
              "minimum": 0,
              "type": "integer"
             }
            },
            "required": [
             "plan"
            ],
            "type": "object"
           },
           "CreatedAPIKey": {
            "properties": {
             "api_key": {
              "$ref": "#/components/schemas/APIKey"
             },
             "key": {
              "description": "The key, `cairn_<prefix>_<secret>`; shown this once.",
              "pattern": "^cairn_[a-z0-9]+_",
              "type": "string"
             }
            },
            "required": [
             "key",
             "api_key"
            ],
            "type": "object"
           },
           "CurrentSubscription": {
            "properties": {
             "subscription": {
              "anyOf": [
               {
                "$ref": "#/components/schemas/Subscription"
               },
               {
                "type": "null"
               }
              ],
              "description": "`null` when the tenant has no subscription in force."
             }
            },
            "required": [
             "subscription"
            ],
            "type": "object"
           },
           "DisplayName": {
            "description": "Optional; trimmed, at most 100 characters, no control characters.",
            "maxLength": 100,
            "type": "string"
           },
           "Document": {
            "description": "Every key is always present (`null` when unset).",
            "example": {
             "bytes": 2048,
             "chunk_count": 3,
             "collection_id": "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
             "created_at": "2026-01-31T09:30:00Z",
             "error": null,
             "external_id": "hr/leave-policy",
             "id": "2d9c1b7a-8e4f-4a3b-9c6d-5e1f0a2b3c4d",
             "metadata": {
              "category": "hr"
             },
             "mime_type": "text/markdown",
             "source_uri": "",
             "status": "indexed",
             "timestamps": {
              "chunked_at": "2026-01-31T09:30:01Z",
              "indexed_at": "2026-01-31T09:30:02Z",
              "pending_at": "2026-01-31T09:30:00Z",
              "processing_at": "2026-01-31T09:30:01Z"
             },
             "title": "Leave policy",
             "updated_at": "2026-01-31T09:30:02Z",
             "version": 1
            },
            "properties": {
             "bytes": {
              "description": "Size of the last upload.",
              "minimum": 0,
              "type": "integer"
             },
             "chunk_count": {
              "description": "Chunks of the current version.",
              "minimum": 0,
              "type": "integer"
             },
             "collection_id": {
              "format": "uuid",
              "type": "string"
             },
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "error": {
              "description": "Why it `failed`; `null` otherwise.",
              "type": [
               "string",
               "null"
              ]
             },
             "external_id": {
              "description": "The submitter's own id for it.",
              "type": [
               "string",
               "null"
              ]
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "metadata": {
              "$ref": "#/components/schemas/DocumentMetadata"
             },
             "mime_type": {
              "description": "The format it is processed as (`text/markdown`, `application/pdf`, ...).",
              "type": "string"
             },
             "source_uri": {
              "description": "Empty when none was given.",
              "type": "string"
             },
             "status": {
              "$ref": "#/components/schemas/DocumentStatus"
             },
             "timestamps": {
              "additionalProperties": {
               "format": "date-time",
               "type": "string"
              },
              "description": "When it last reached each status, keyed `<status>_at` (`pending_at`, `indexed_at`, ...); only those reached.",
              "type": "object"
             },
             "title": {
              "description": "Empty when none was given.",
              "type": "string"
             },
             "updated_at": {
              "format": "date-time",
              "type": "string"
             },
             "version": {
              "description": "The current version; 0 until the first is processed.",
              "minimum": 0,
              "type": "integer"
             }
            },
            "required": [
             "id",
             "collection_id",
             "external_id",
             "title",
             "source_uri",
             "mime_type",
             "metadata",
             "status",
             "version",
             "chunk_count",
             "bytes",
             "error",
             "timestamps",
             "created_at",
             "updated_at"
            ],
            "type": "object"
           },
           "DocumentMetadata": {
            "additionalProperties": {
             "maxLength": 2048,
             "type": "string"
            },
            "description": "Up to 64 string values, keys 1-100 characters, values at most 2,048. Search reads\n`category`, `tags` (comma-separated or a JSON array), `source` and `date` (or\n`published_at`, `created_at`; ISO 8601 or `YYYY-MM-DD`) for its filters.\n",
            "maxProperties": 64,
            "type": "object"
           },
           "DocumentPage": {
            "properties": {
             "documents": {
              "items": {
               "$ref": "#/components/schemas/Document"
              },
              "type": "array"
             },
             "next_cursor": {
              "description": "The `cursor` of the next page; `null` on the last page.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "documents",
             "next_cursor"
            ],
            "type": "object"
           },
           "DocumentStatus": {
            "description": "`pending` (accepted), `processing` (being extracted and chunked), `chunked` (chunks\nsent for embedding), `indexed` (searchable), `failed` (see `error`), `deleted`.\n",
            "enum": [
             "pending",
             "processing",
             "chunked",
             "indexed",
             "failed",
             "deleted"
            ],
            "type": "string"
           },
           "DocumentSubmission": {
            "properties": {
             "content": {
              "description": "The document's text.",
              "type": "string"
             },
             "external_id": {
              "description": "Your id for it; resubmitting it makes a new version.",
              "maxLength": 512,
              "minLength": 1,
              "type": "string"
             },
             "metadata": {
              "$ref": "#/components/schemas/DocumentMetadata"
             },
             "mime_type": {
              "default": "text/plain",
              "description": "The text's format (`text/plain`, `text/markdown`, `text/html`, `application/json`).",
              "type": "string"
             },
             "source_uri": {
              "default": "",
              "maxLength": 2048,
              "type": "string"
             },
             "title": {
              "default": "",
              "maxLength": 1000,
              "type": "string"
             }
            },
            "required": [
             "content"
            ],
            "type": "object"
           },
           "DocumentUploadForm": {
            "properties": {
             "external_id": {
              "description": "Your id for it; resubmitting it makes a new version.",
              "maxLength": 512,
              "minLength": 1,
              "type": "string"
             },
             "file": {
              "description": "The document. Its part's `filename` is the default title and helps detect the type.",
              "format": "binary",
              "type": "string"
             },
             "metadata": {
              "description": "A JSON object of strings (see `DocumentMetadata`); anything else is 400.",
              "type": "string"
             },
             "mime_type": {
              "description": "The document's type; overrides the file part's `Content-Type`.",
              "type": "string"
             },
             "source_uri": {
              "description": "Where it came from.",
              "maxLength": 2048,
              "type": "string"
             },
             "title": {
              "description": "Default the file name.",
              "maxLength": 1000,
              "type": "string"
             }
            },
            "required": [
             "file"
            ],
            "type": "object"
           },
           "Email": {
            "description": "Trimmed and lower-cased; `local@domain.tld`, local part up to 64 characters, at most 254 bytes.",
            "format": "email",
            "maxLength": 254,
            "type": "string"
           },
           "Embedding": {
            "properties": {
             "embedding": {
              "description": "The vector (unit length), as numbers or base64.",
              "oneOf": [
               {
                "items": {
                 "type": "number"
                },
                "type": "array"
               },
               {
                "type": "string"
               }
              ]
             },
             "index": {
              "description": "The input's position.",
              "minimum": 0,
              "type": "integer"
             },
             "object": {
              "const": "embedding",
              "type": "string"
             }
            },
            "required": [
             "object",
             "index",
             "embedding"
            ],
            "type": "object"
           },
           "EmbeddingList": {
            "properties": {
             "data": {
              "items": {
               "$ref": "#/components/schemas/Embedding"
              },
              "type": "array"
             },
             "model": {
              "description": "The model's id.",
              "type": "string"
             },
             "object": {
              "const": "list",
              "type": "string"
             },
             "usage": {
              "properties": {
               "prompt_tokens": {
                "minimum": 0,
                "type": "integer"
               },
               "total_tokens": {
                "minimum": 0,
                "type": "integer"
               }
              },
              "required": [
               "prompt_tokens",
               "total_tokens"
              ],
              "type": "object"
             }
            },
            "required": [
             "object",
             "data",
             "model",
             "usage"
            ],
            "type": "object"
           },
           "EmbeddingModel": {
            "example": {
             "aliases": [
              "sentence-transformers/all-MiniLM-L6-v2"
             ],
             "dimensions": 384,
             "id": "all-MiniLM-L6-v2",
             "max_tokens": 256,
             "normalized": true,
             "object": "model",
             "owned_by": "cairn",
             "provider": "local",
             "weights_sha256": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
            },
            "properties": {
             "aliases": {
              "description": "Other names `model` may use.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "dimensions": {
              "minimum": 1,
              "type": "integer"
             },
             "id": {
              "type": "string"
             },
             "max_tokens": {
              "description": "Longest input in tokens (longer is truncated); `null` when unknown.",
              "type": [
               "integer",
               "null"
              ]
             },
             "normalized": {
              "description": "Whether vectors are unit length (always true).",
              "type": "boolean"
             },
             "object": {
              "const": "model",
              "type": "string"
             },
             "owned_by": {
              "description": "`cairn` for the local model, else the provider's name.",
              "type": "string"
             },
             "provider": {
              "description": "`local`, or a remote provider's configured name.",
              "type": "string"
             },
             "weights_sha256": {
              "description": "SHA-256 of the local model's weights; `null` for remote models.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "id",
             "object",
             "owned_by",
             "provider",
             "aliases",
             "dimensions",
             "max_tokens",
             "normalized",
             "weights_sha256"
            ],
            "type": "object"
           },
           "EmbeddingModelList": {
            "properties": {
             "data": {
              "items": {
               "$ref": "#/components/schemas/EmbeddingModel"
              },
              "type": "array"
             },
             "object": {
              "const": "list",
              "type": "string"
             }
            },
            "required": [
             "object",
             "data"
            ],
            "type": "object"
           },
           "EmbeddingRequest": {
            "properties": {
             "dimensions": {
              "description": "Must equal the model's `dimensions` (no other size is made).",
              "type": "integer"
             },
             "encoding_format": {
              "default": "float",
              "description": "`base64`: each vector as base64 of little-endian float32s.",
              "enum": [
               "float",
               "base64"
              ],
              "type": "string"
             },
             "input": {
              "description": "A string or 1-256 strings (arrays of token ids are not accepted); each at most\n16,384 characters, 524,288 in all.\n",
              "oneOf": [
               {
                "maxLength": 16384,
                "type": "string"
               },
               {
                "items": {
                 "maxLength": 16384,
                 "type": "string"
                },
                "maxItems": 256,
                "minItems": 1,
                "type": "array"
               }
              ]
             },
             "model": {
              "description": "A model's id or alias; default the local model.",
              "type": "string"
             },
             "user": {
              "description": "Ignored.",
              "type": "string"
             }
            },
            "required": [
             "input"
            ],
            "type": "object"
           },
           "Error": {
            "description": "The one error shape of every Cairn service.",
            "example": {
             "error": {
              "code": "INVALID_REQUEST",
              "message": "email is not a valid address",
              "request_id": "0b6f3c1e-5d2a-4f8e-9c7b-1a2b3c4d5e6f"
             }
            },
            "properties": {
             "error": {
              "properties": {
               "code": {
                "description": "Stable, machine-readable (`INVALID_REQUEST`, `RATE_LIMITED`, ...).",
                "type": "string"
               },
               "details": {
                "additionalProperties": {
                 "type": [
                  "string",
                  "integer"
                 ]
                },
                "description": "Facts about the error (absent when there are none); numbers where the value is one.",
                "type": "object"
               },
               "message": {
                "description": "For people; may change.",
                "type": "string"
               },
               "request_id": {
                "description": "The request's id, as in `X-Request-ID`.",
                "type": "string"
               }
              },
              "required": [
               "code",
               "message",
               "request_id"
              ],
              "type": "object"
             }
            },
            "required": [
             "error"
            ],
            "type": "object"
           },
           "Feedback": {
            "properties": {
             "comment": {
              "type": "string"
             },
             "conversation_id": {
              "format": "uuid",
              "type": "string"
             },
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "kind": {
              "enum": [
               "rating",
               "report"
              ],
              "type": "string"
             },
             "message_id": {
              "format": "uuid",
              "type": "string"
             },
             "offending_text": {
              "type": "string"
             },
             "rating": {
              "type": "integer"
             },
             "thumbs": {
              "enum": [
               "up",
               "down"
              ],
              "type": "string"
             },
             "user_id": {
              "type": "string"
             }
            },
            "required": [
             "id",
             "message_id",
             "conversation_id",
             "user_id",
             "kind",
             "created_at"
            ],
            "type": "object"
           },
           "FeedbackCreated": {
            "properties": {
             "id": {
              "format": "uuid",
              "type": "string"
             }
            },
            "required": [
             "id"
            ],
            "type": "object"
           },
           "FeedbackList": {
            "properties": {
             "feedback": {
              "items": {
               "$ref": "#/components/schemas/Feedback"
              },
              "type": "array"
             },
             "next_cursor": {
              "description": "The `cursor` of the next page; `null` on the last page.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "feedback",
             "next_cursor"
            ],
            "type": "object"
           },
           "Health": {
            "properties": {
             "status": {
              "enum": [
               "ok"
              ],
              "type": "string"
             }
            },
            "required": [
             "status"
            ],
            "type": "object"
           },
           "Identity": {
            "properties": {
             "kind": {
              "enum": [
               "user",
               "api_key",
               "service"
              ],
              "type": "string"
             },
             "role": {
              "$ref": "#/components/schemas/Role"
             },
             "scopes": {
              "description": "What the credential was granted (in no particular order).",
              "items": {
               "$ref": "#/components/schemas/Permission"
              },
              "type": "array"
             },
             "subject": {
              "description": "The user id, API key id or service name.",
              "type": "string"
             },
             "tenant_id": {
              "description": "Absent only for services.",
              "format": "uuid",
              "type": [
               "string",
               "null"
              ]
             },
             "token_id": {
              "description": "The token's `jti`.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "kind",
             "subject",
             "role",
             "scopes"
            ],
            "type": "object"
           },
           "Invitation": {
            "properties": {
             "email": {
              "type": "string"
             },
             "expires_at": {
              "format": "date-time",
              "type": "string"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "invitation_token": {
              "description": "Shown this once (`inv_...`).",
              "type": "string"
             },
             "role": {
              "$ref": "#/components/schemas/UserRole"
             }
            },
            "required": [
             "id",
             "email",
             "role",
             "invitation_token",
             "expires_at"
            ],
            "type": "object"
           },
           "InvitationRequest": {
            "properties": {
             "email": {
              "$ref": "#/components/schemas/Email"
             },
             "role": {
              "$ref": "#/components/schemas/UserRole",
              "description": "Default `member`."
             }
            },
            "required": [
             "email"
            ],
            "type": "object"
           },
           "InvoiceLine": {
            "properties": {
             "amount_cents": {
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             },
             "description": {
              "description": "`Pro plan, monthly`, `Messages above 1000`.",
              "type": "string"
             },
             "quantity": {
              "format": "int64",
              "minimum": 1,
              "type": "integer"
             },
             "unit_amount_cents": {
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             }
            },
            "required": [
             "description",
             "quantity",
             "unit_amount_cents",
             "amount_cents"
            ],
            "type": "object"
           },
           "InvoicePreview": {
            "example": {
             "currency": "usd",
             "lines": [
              {
               "amount_cents": 2900,
               "description": "Pro plan, monthly",
               "quantity": 1,
               "unit_amount_cents": 2900
              },
              {
               "amount_cents": 50,
               "description": "Messages above 1000",
               "quantity": 25,
               "unit_amount_cents": 2
              }
             ],
             "period_end": "2025-02-28T00:00:00Z",
             "period_start": "2025-01-31T00:00:00Z",
             "plan": "pro",
             "tenant_id": "0b6f3c1e-5d2a-4f8e-9c7b-1a2b3c4d5e6f",
             "total_cents": 2950
            },
            "properties": {
             "currency": {
              "pattern": "^[a-z]{3}$",
              "type": "string"
             },
             "lines": {
              "items": {
               "$ref": "#/components/schemas/InvoiceLine"
              },
              "type": "array"
             },
             "period_end": {
              "format": "date-time",
              "type": "string"
             },
             "period_start": {
              "format": "date-time",
              "type": "string"
             },
             "plan": {
              "$ref": "#/components/schemas/PlanName"
             },
             "tenant_id": {
              "format": "uuid",
              "type": "string"
             },
             "total_cents": {
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             }
            },
            "required": [
             "tenant_id",
             "plan",
             "currency",
             "period_start",
             "period_end",
             "lines",
             "total_cents"
            ],
            "type": "object"
           },
           "JWK": {
            "properties": {
             "alg": {
              "enum": [
               "EdDSA"
              ],
              "type": "string"
             },
             "crv": {
              "enum": [
               "Ed25519"
              ],
              "type": "string"
             },
             "kid": {
              "description": "Key id: the `kid` header of the tokens it signed.",
              "type": "string"
             },
             "kty": {
              "enum": [
               "OKP"
              ],
              "type": "string"
             },
             "x": {
              "base64url without padding.": null,
              "description": "The public key",
              "type": "string"
             }
            },
            "required": [
             "kty",
             "kid",
             "crv",
             "x"
            ],
            "type": "object"
           },
           "JWKS": {
            "properties": {
             "keys": {
              "items": {
               "$ref": "#/components/schemas/JWK"
              },
              "type": "array"
             }
            },
            "required": [
             "keys"
            ],
            "type": "object"
           },
           "Limit": {
            "description": "-1 for unlimited.",
            "format": "int64",
            "minimum": -1,
            "type": "integer"
           },
           "LoginRequest": {
            "properties": {
             "email": {
              "$ref": "#/components/schemas/Email"
             },
             "password": {
              "description": "Up to 1,024 bytes (longer is 400).",
              "maxLength": 1024,
              "type": "string"
             },
             "tenant": {
              "description": "The organisation's slug (case-insensitive).",
              "maxLength": 64,
              "type": "string"
             }
            },
            "required": [
             "tenant",
             "email",
             "password"
            ],
            "type": "object"
           },
           "MFAChallenge": {
            "properties": {
             "expires_in": {
              "description": "Seconds the challenge is valid (300).",
              "type": "integer"
             },
             "mfa_required": {
              "const": true,
              "type": "boolean"
             },
             "mfa_token": {
              "description": "For `POST /v1/auth/login/mfa` (`mfa_...`).",
              "type": "string"
             }
            },
            "required": [
             "mfa_required",
             "mfa_token",
             "expires_in"
            ],
            "title": "MFA challenge",
            "type": "object"
           },
           "MFAEnrolment": {
            "properties": {
             "otpauth_url": {
              "description": "The `otpauth://totp/...` URL (for a QR code).",
              "type": "string"
             },
             "secret": {
              "description": "The TOTP secret.",
              "type": "string"
             }
            },
            "required": [
             "secret",
             "otpauth_url"
            ],
            "type": "object"
           },
           "MFALoginRequest": {
            "anyOf": [
             {
              "required": [
               "code"
              ]
             },
             {
              "required": [
               "recovery_code"
              ]
             }
            ],
            "properties": {
             "code": {
              "$ref": "#/components/schemas/TOTPCode"
             },
             "mfa_token": {
              "description": "The `mfa_token` login answered with.",
              "type": "string"
             },
             "recovery_code": {
              "description": "One of the recovery codes (used only when `code` is absent); single-use.",
              "type": "string"
             }
            },
            "required": [
             "mfa_token"
            ],
            "type": "object"
           },
           "Me": {
            "properties": {
             "identity": {
              "$ref": "#/components/schemas/Identity"
             },
             "permissions": {
              "description": "Effective permissions, sorted.",
              "items": {
               "$ref": "#/components/schemas/Permission"
              },
              "type": "array"
             },
             "tenant": {
              "$ref": "#/components/schemas/Tenant"
             },
             "user": {
              "$ref": "#/components/schemas/User"
             }
            },
            "required": [
             "identity",
             "permissions"
            ],
            "type": "object"
           },
           "Message": {
            "properties": {
             "cached": {
              "type": "boolean"
             },
             "completion_tokens": {
              "type": "integer"
             },
             "content": {
              "type": "string"
             },
             "conversation_id": {
              "format": "uuid",
              "type": "string"
             },
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "degraded": {
              "description": "What retrieval or generation had to do without.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "error": {
              "description": "Why a kept partial answer broke off.",
              "type": "string"
             },
             "generation_ms": {
              "type": "integer"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "interrupted": {
              "description": "The answer broke off or its client went away; the part given is kept.",
              "type": "boolean"
             },
             "latency_ms": {
              "type": "integer"
             },
             "model": {
              "type": "string"
             },
             "prompt_tokens": {
              "type": "integer"
             },
             "retrieval_ms": {
              "type": "integer"
             },
             "role": {
              "enum": [
               "user",
               "assistant"
              ],
              "type": "string"
             },
             "sources": {
              "items": {
               "$ref": "#/components/schemas/MessageSource"
              },
              "type": "array"
             },
             "strategy": {
              "type": "string"
             }
            },
            "required": [
             "id",
             "conversation_id",
             "role",
             "content",
             "sources",
             "cached",
             "interrupted",
             "degraded",
             "created_at"
            ],
            "type": "object"
           },
           "MessagePage": {
            "properties": {
             "messages": {
              "items": {
               "$ref": "#/components/schemas/Message"
              },
              "type": "array"
             },
             "next_cursor": {
              "description": "The `cursor` of the next page; `null` on the last page.",
              "type": [
               "string",
               "null"
              ]
             }
            },
            "required": [
             "messages",
             "next_cursor"
            ],
            "type": "object"
           },
           "MessageRequest": {
            "description": "`content` (or its alias `message`) is required.",
            "properties": {
             "content": {
              "description": "The question.",
              "minLength": 1,
              "type": "string"
             },
             "filters": {
              "$ref": "#/components/schemas/ChatFilters"
             },
             "message": {
              "description": "Alias of `content`.",
              "minLength": 1,
              "type": "string"
             },
             "stream": {
              "description": "Server-sent events; absent: as `Accept` asks.",
              "type": "boolean"
             },
             "tool_calls": {
              "description": "The assistant's tools to call (checked against their schemas; a bad call is 400). Absent, tools are chosen from the question; empty, none is called.",
              "items": {
               "properties": {
                "arguments": {
                 "type": "object"
                },
                "name": {
                 "type": "string"
                }
               },
               "required": [
                "name"
               ],
               "type": "object"
              },
              "maxItems": 10,
              "type": "array"
             }
            },
            "type": "object"
           },
           "MessageSource": {
            "properties": {
             "chunk_id": {
              "type": "string"
             },
             "cited": {
              "type": "boolean"
             },
             "collection_id": {
              "type": "string"
             },
             "document_id": {
              "type": "string"
             },
             "document_version": {
              "type": "integer"
             },
             "index": {
              "description": "The `n` of its `[n]` citations.",
              "type": "integer"
             },
             "score": {
              "type": "number"
             },
             "text": {
              "type": "string"
             },
             "title": {
              "type": "string"
             },
             "tool": {
              "description": "The tool's name.",
              "type": "string"
             },
             "type": {
              "description": "A tool result (absent for a passage); `chunk_id` and `document_id` are then `tool:<name>`.",
              "enum": [
               "tool"
              ],
              "type": "string"
             },
             "url": {
              "description": "The URL called (without its query).",
              "type": "string"
             }
            },
            "required": [
             "index",
             "chunk_id",
             "document_id",
             "title",
             "text",
             "score",
             "cited"
            ],
            "type": "object"
           },
           "Meter": {
            "description": "What the ledger counts: `messages` (answered chat messages), `chat_tokens` (in and out),\n`embedding_tokens`, `document_pages`, `search_queries`, `api_calls`, `documents`\n(stored) and `storage_bytes`.\n",
            "enum": [
             "messages",
             "chat_tokens",
             "embedding_tokens",
             "document_pages",
             "search_queries",
             "api_calls",
             "documents",
             "storage_bytes"
            ],
            "type": "string"
           },
           "Password": {
            "description": "10 to 72 bytes (UTF-8), not a common password, not containing the email's local part,\nat least 4 different characters.\n",
            "maxLength": 72,
            "minLength": 10,
            "type": "string"
           },
           "Permission": {
            "description": "`resource:action`, either part `*` for any (`documents:read`, `admin:*`).",
            "example": "documents:read",
            "pattern": "^([a-z0-9_]{1,40}|\\*):([a-z0-9_]{1,40}|\\*)$",
            "type": "string"
           },
           "Plan": {
            "example": {
             "currency": "usd",
             "display_name": "Pro",
             "limits": {
              "api_calls_per_day": 1000,
              "documents": 1000,
              "messages_per_month": 1000,
              "storage_mb": 1000,
              "tokens_per_message": 2000
             },
             "message_overage_cents": 2,
             "name": "pro",
             "price_cents": 2900,
             "rate_limits": {
              "chat": {
               "burst": 120,
               "per_minute": 120,
               "tenant_per_minute": 1200
              },
              "general": {
               "burst": 600,
               "per_minute": 600,
               "tenant_per_minute": 6000
              },
              "search": {
               "burst": 300,
               "per_minute": 300,
               "tenant_per_minute": 3000
              }
             }
            },
            "properties": {
             "currency": {
              "description": "ISO 4217, lower-case (`usd`).",
              "pattern": "^[a-z]{3}$",
              "type": "string"
             },
             "display_name": {
              "type": "string"
             },
             "limits": {
              "$ref": "#/components/schemas/PlanLimits"
             },
             "message_overage_cents": {
              "description": "Price of each message above `messages_per_month` (checks stay allowed above it).\nAbsent when the message limit is hard (refused above it).\n",
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             },
             "name": {
              "$ref": "#/components/schemas/PlanName"
             },
             "price_cents": {
              "description": "Price per month.",
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             },
             "rate_limits": {
              "$ref": "#/components/schemas/RateLimits"
             }
            },
            "required": [
             "name",
             "display_name",
             "price_cents",
             "currency",
             "limits",
             "rate_limits"
            ],
            "type": "object"
           },
           "PlanDefinition": {
            "allOf": [
             {
              "$ref": "#/components/schemas/PlanFields"
             },
             {
              "properties": {
               "name": {
                "$ref": "#/components/schemas/PlanName"
               }
              },
              "required": [
               "name"
              ],
              "type": "object"
             }
            ],
            "title": "New plan"
           },
           "PlanFields": {
            "description": "A plan's fields but its name, as written by system admins.",
            "properties": {
             "currency": {
              "description": "ISO 4217 (stored lower-case).",
              "pattern": "^[A-Za-z]{3}$",
              "type": "string"
             },
             "display_name": {
              "description": "1-100 characters.",
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
             },
             "limits": {
              "$ref": "#/components/schemas/PlanLimits"
             },
             "message_overage_cents": {
              "description": "Price of each message above `messages_per_month`; absent or `null` for a hard limit.",
              "format": "int64",
              "minimum": 0,
              "type": [
               "integer",
               "null"
              ]
             },
             "price_cents": {
              "description": "Price per month.",
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             },
             "rate_limits": {
              "$ref": "#/components/schemas/RateLimits"
             }
            },
            "required": [
             "display_name",
             "price_cents",
             "currency",
             "limits",
             "rate_limits"
            ],
            "type": "object"
           },
           "PlanLimits": {
            "description": "The plan's quotas; -1 is unlimited.",
            "properties": {
             "api_calls_per_day": {
              "$ref": "#/components/schemas/Limit",
              "description": "API calls per UTC day."
             },
             "documents": {
              "$ref": "#/components/schemas/Limit",
              "description": "Documents stored."
             },
             "messages_per_month": {
              "$ref": "#/components/schemas/Limit",
              "description": "Answered chat messages per billing month."
             },
             "storage_mb": {
              "$ref": "#/components/schemas/Limit",
              "description": "Storage in MiB."
             },
             "tokens_per_message": {
              "$ref": "#/components/schemas/Limit",
              "description": "Largest token count of one chat message (prompt and answer together)."
             }
            },
            "required": [
             "messages_per_month",
             "tokens_per_message",
             "api_calls_per_day",
             "documents",
             "storage_mb"
            ],
            "type": "object"
           },
           "PlanList": {
            "properties": {
             "plans": {
              "items": {
               "$ref": "#/components/schemas/Plan"
              },
              "type": "array"
             }
            },
            "required": [
             "plans"
            ],
            "type": "object"
           },
           "PlanName": {
            "description": "1-40 characters, lower-case letters, digits, `-` and `_`, starting with a letter.",
            "example": "pro",
            "pattern": "^[a-z][a-z0-9_-]{0,39}$",
            "type": "string"
           },
           "PlanReplacement": {
            "allOf": [
             {
              "$ref": "#/components/schemas/PlanFields"
             },
             {
              "properties": {
               "name": {
                "description": "Required, but ignored (the path names the plan).",
                "type": "string"
               }
              },
              "required": [
               "name"
              ],
              "type": "object"
             }
            ],
            "title": "Plan replacement"
           },
           "RateLimit": {
            "description": "One rate-limit class: a bucket per caller refilled at `per_minute` holding up to\n`burst`, and one bucket for the whole tenant of `tenant_per_minute`.\n",
            "properties": {
             "burst": {
              "format": "int64",
              "minimum": 1,
              "type": "integer"
             },
             "per_minute": {
              "format": "int64",
              "minimum": 1,
              "type": "integer"
             },
             "tenant_per_minute": {
              "format": "int64",
              "minimum": 1,
              "type": "integer"
             }
            },
            "required": [
             "per_minute",
             "burst",
             "tenant_per_minute"
            ],
            "type": "object"
           },
           "RateLimits": {
            "description": "The gateway's rate-limit classes.",
            "properties": {
             "chat": {
              "$ref": "#/components/schemas/RateLimit"
             },
             "general": {
              "$ref": "#/components/schemas/RateLimit"
             },
             "search": {
              "$ref": "#/components/schemas/RateLimit"
             }
            },
            "required": [
             "general",
             "chat",
             "search"
            ],
            "type": "object"
           },
           "RatingRequest": {
            "description": "`thumbs` or `rating` (or both) is required.",
            "properties": {
             "comment": {
              "maxLength": 4000,
              "type": "string"
             },
             "rating": {
              "maximum": 5,
              "minimum": 1,
              "type": "integer"
             },
             "thumbs": {
              "enum": [
               "up",
               "down"
              ],
              "type": "string"
             }
            },
            "type": "object"
           },
           "ReadinessReport": {
            "properties": {
             "checks": {
              "items": {
               "properties": {
                "error": {
                 "description": "Why the check failed (absent when it passed).",
                 "type": "string"
                },
                "name": {
                 "description": "The dependency: `redis`.",
                 "type": "string"
                },
                "ok": {
                 "type": "boolean"
                }
               },
               "required": [
                "name",
                "ok"
               ],
               "type": "object"
              },
              "type": "array"
             },
             "failing": {
              "description": "Names of the failing checks.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "status": {
              "enum": [
               "ready",
               "unavailable"
              ],
              "type": "string"
             }
            },
            "required": [
             "status",
             "checks",
             "failing"
            ],
            "type": "object"
           },
           "RecoveryCodes": {
            "properties": {
             "recovery_codes": {
              "description": "Ten single-use codes; shown this once.",
              "items": {
               "type": "string"
              },
              "type": "array"
             }
            },
            "required": [
             "recovery_codes"
            ],
            "type": "object"
           },
           "RefreshTokenRequest": {
            "properties": {
             "refresh_token": {
              "description": "A refresh token (`crt_...`).",
              "maxLength": 256,
              "type": "string"
             }
            },
            "required": [
             "refresh_token"
            ],
            "type": "object"
           },
           "RegisterByInvitation": {
            "properties": {
             "display_name": {
              "$ref": "#/components/schemas/DisplayName"
             },
             "invitation_token": {
              "description": "The token from `POST /v1/users/invitations` (`inv_...`).",
              "type": "string"
             },
             "password": {
              "$ref": "#/components/schemas/Password"
             }
            },
            "required": [
             "invitation_token",
             "password"
            ],
            "title": "By invitation",
            "type": "object"
           },
           "RegisterOrganisation": {
            "not": {
             "required": [
              "invitation_token"
             ]
            },
            "properties": {
             "display_name": {
              "$ref": "#/components/schemas/DisplayName"
             },
             "email": {
              "$ref": "#/components/schemas/Email"
             },
             "organisation": {
              "description": "The organisation's name (trimmed, 1-100 characters, no control characters); its slug is derived from it.",
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
             },
             "password": {
              "$ref": "#/components/schemas/Password"
             }
            },
            "required": [
             "organisation",
             "email",
             "password"
            ],
            "title": "New organisation",
            "type": "object"
           },
           "RegisterRequest": {
            "oneOf": [
             {
              "$ref": "#/components/schemas/RegisterOrganisation"
             },
             {
              "$ref": "#/components/schemas/RegisterByInvitation"
             }
            ]
           },
           "Registration": {
            "properties": {
             "tenant": {
              "$ref": "#/components/schemas/Tenant"
             },
             "tokens": {
              "$ref": "#/components/schemas/TokenPair"
             },
             "user": {
              "$ref": "#/components/schemas/User"
             }
            },
            "required": [
             "user",
             "tokens"
            ],
            "type": "object"
           },
           "ReportRequest": {
            "properties": {
             "comment": {
              "maxLength": 4000,
              "type": "string"
             },
             "offending_text": {
              "maxLength": 4000,
              "minLength": 1,
              "type": "string"
             }
            },
            "required": [
             "offending_text"
            ],
            "type": "object"
           },
           "RetrievalStrategy": {
            "enum": [
             "vector",
             "lexical",
             "hybrid",
             "auto"
            ],
            "type": "string"
           },
           "Role": {
            "enum": [
             "member",
             "tenant_admin",
             "system_admin",
             "service"
            ],
            "type": "string"
           },
           "RotatedKey": {
            "properties": {
             "kid": {
              "description": "The new active key's id.",
              "type": "string"
             }
            },
            "required": [
             "kid"
            ],
            "type": "object"
           },
           "SearchFilters": {
            "description": "Every condition given must hold; lists hold at most 1,000 values.",
            "properties": {
             "category": {
              "description": "Metadata `category` equals this.",
              "type": "string"
             },
             "collection_ids": {
              "description": "Only these collections (default every collection of the tenant).",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "date_from": {
              "description": "Document date on or after (undated documents fail).",
              "format": "date-time",
              "type": "string"
             },
             "date_to": {
              "description": "Document date on or before; not before `date_from`.",
              "format": "date-time",
              "type": "string"
             },
             "document_ids": {
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "source": {
              "description": "Metadata `source` (else the document's `source_uri`) equals this.",
              "type": "string"
             },
             "tags_all": {
              "description": "The chunk has all of these tags.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "tags_any": {
              "description": "The chunk has at least one of these tags.",
              "items": {
               "type": "string"
              },
              "type": "array"
             }
            },
            "type": "object"
           },
           "SearchIndex": {
            "properties": {
             "chunks": {
              "description": "Live chunks.",
              "minimum": 0,
              "type": "integer"
             },
             "collection_id": {
              "type": "string"
             },
             "dimensions": {
              "minimum": 0,
              "type": "integer"
             },
             "graph_nodes": {
              "minimum": 0,
              "type": "integer"
             },
             "index": {
              "properties": {
               "ef_construction": {
                "type": "integer"
               },
               "ef_search": {
                "type": "integer"
               },
               "exact_below": {
                "description": "Below this many chunks searches are exact.",
                "type": "integer"
               },
               "filtered_exact_below": {
                "description": "Filtered searches matching fewer chunks than this are exact.",
                "type": "integer"
               },
               "m": {
                "type": "integer"
               }
              },
              "required": [
               "m",
               "ef_construction",
               "ef_search",
               "exact_below",
               "filtered_exact_below"
              ],
              "type": "object"
             },
             "memory_bytes": {
              "minimum": 0,
              "type": "integer"
             },
             "terms": {
              "description": "Distinct terms of the lexical index.",
              "minimum": 0,
              "type": "integer"
             },
             "tombstones": {
              "description": "Deleted chunks still in the graph (a rebuild drops them).",
              "minimum": 0,
              "type": "integer"
             }
            },
            "required": [
             "collection_id",
             "chunks",
             "graph_nodes",
             "tombstones",
             "dimensions",
             "memory_bytes",
             "terms",
             "index"
            ],
            "type": "object"
           },
           "SearchIndexList": {
            "properties": {
             "collections": {
              "items": {
               "$ref": "#/components/schemas/SearchIndex"
              },
              "type": "array"
             }
            },
            "required": [
             "collections"
            ],
            "type": "object"
           },
           "SearchRequest": {
            "anyOf": [
             {
              "required": [
               "query"
              ]
             },
             {
              "required": [
               "vector"
              ]
             }
            ],
            "description": "Query text, a query vector, or both (`null` counts as absent).",
            "properties": {
             "ef_search": {
              "description": "HNSW search breadth; default the index's.",
              "maximum": 4000,
              "minimum": 10,
              "type": "integer"
             },
             "filters": {
              "$ref": "#/components/schemas/SearchFilters"
             },
             "min_score": {
              "description": "Drops vector hits below this cosine similarity (with `lexical`, BM25 hits below it).",
              "type": "number"
             },
             "query": {
              "description": "Query text, at most 8,192 bytes; needed by `lexical`.",
              "maxLength": 8192,
              "type": "string"
             },
             "strategy": {
              "default": "auto",
              "enum": [
               "auto",
               "vector",
               "lexical",
               "hybrid"
              ],
              "type": "string"
             },
             "top_k": {
              "default": 10,
              "description": "Results wanted (at most `CAIRN_SEARCH_MAX_TOP_K`, 100).",
              "maximum": 100,
              "minimum": 1,
              "type": "integer"
             },
             "vector": {
              "description": "A query vector of the collections' dimension; finite, not all zero.",
              "items": {
               "type": "number"
              },
              "maxItems": 4096,
              "minItems": 1,
              "type": "array"
             }
            },
            "type": "object"
           },
           "SearchResponse": {
            "properties": {
             "degraded": {
              "description": "What could not be done (`embedding_unavailable`); empty normally.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "results": {
              "items": {
               "$ref": "#/components/schemas/SearchResult"
              },
              "type": "array"
             },
             "strategy": {
              "description": "The strategy used (`auto` resolved, or the fallback).",
              "enum": [
               "vector",
               "lexical",
               "hybrid"
              ],
              "type": "string"
             },
             "took_ms": {
              "minimum": 0,
              "type": "number"
             }
            },
            "required": [
             "results",
             "strategy",
             "degraded",
             "took_ms"
            ],
            "type": "object"
           },
           "SearchResult": {
            "properties": {
             "category": {
              "description": "Absent when the document has none.",
              "type": "string"
             },
             "chunk_id": {
              "type": "string"
             },
             "collection_id": {
              "type": "string"
             },
             "document_id": {
              "type": "string"
             },
             "document_version": {
              "type": "integer"
             },
             "excerpt": {
              "description": "About 300 characters around the first matched terms, each wrapped in `**`.",
              "type": "string"
             },
             "matched_terms": {
              "description": "Query terms found in the chunk (analysed forms), sorted.",
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "page": {
              "description": "The page it starts on (paged formats); absent otherwise.",
              "type": "integer"
             },
             "ranks": {
              "description": "The chunk's rank (from 1) in each method's list; absent where it was not found.",
              "properties": {
               "lexical": {
                "minimum": 1,
                "type": "integer"
               },
               "vector": {
                "minimum": 1,
                "type": "integer"
               }
              },
              "type": "object"
             },
             "score": {
              "description": "The strategy's own score: cosine (`vector`), BM25 (`lexical`) or fused (`hybrid`).",
              "type": "number"
             },
             "scores": {
              "description": "Each method's score; absent for methods that did not find the chunk.",
              "properties": {
               "fused": {
                "type": "number"
               },
               "lexical": {
                "type": "number"
               },
               "vector": {
                "type": "number"
               }
              },
              "type": "object"
             },
             "source": {
              "description": "Absent when the document has none.",
              "type": "string"
             },
             "tags": {
              "items": {
               "type": "string"
              },
              "type": "array"
             },
             "text": {
              "description": "The chunk's text.",
              "type": "string"
             },
             "title": {
              "description": "The document's title.",
              "type": "string"
             }
            },
            "required": [
             "chunk_id",
             "document_id",
             "document_version",
             "collection_id",
             "title",
             "text",
             "excerpt",
             "matched_terms",
             "tags",
             "score",
             "scores",
             "ranks"
            ],
            "type": "object"
           },
           "Session": {
            "properties": {
             "tokens": {
              "$ref": "#/components/schemas/TokenPair"
             },
             "user": {
              "$ref": "#/components/schemas/User"
             }
            },
            "required": [
             "user",
             "tokens"
            ],
            "title": "Session",
            "type": "object"
           },
           "Subscription": {
            "example": {
             "billing_cycle": "monthly",
             "cancel_at_period_end": false,
             "current_period_end": "2025-02-28T00:00:00Z",
             "current_period_start": "2025-01-31T00:00:00Z",
             "ends_at": null,
             "id": "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
             "plan": "pro",
             "started_at": "2025-01-31T09:30:00Z",
             "status": "trialing",
             "tenant_id": "0b6f3c1e-5d2a-4f8e-9c7b-1a2b3c4d5e6f"
            },
            "properties": {
             "billing_cycle": {
              "enum": [
               "monthly",
               "yearly"
              ],
              "type": "string"
             },
             "cancel_at_period_end": {
              "type": "boolean"
             },
             "current_period_end": {
              "format": "date-time",
              "type": "string"
             },
             "current_period_start": {
              "description": "Start of the current billing period (monthly or yearly, per the cycle).",
              "format": "date-time",
              "type": "string"
             },
             "ends_at": {
              "description": "When it ends (after `cancel_at_period_end`); `null` while open-ended.",
              "format": "date-time",
              "type": [
               "string",
               "null"
              ]
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "plan": {
              "$ref": "#/components/schemas/PlanName",
              "description": "The plan in force now (a change scheduled for the period end is not shown)."
             },
             "started_at": {
              "format": "date-time",
              "type": "string"
             },
             "status": {
              "description": "`trialing` until the trial ends, then `active`; `past_due` is set by system admins.",
              "enum": [
               "trialing",
               "active",
               "past_due",
               "cancelled"
              ],
              "type": "string"
             },
             "tenant_id": {
              "format": "uuid",
              "type": "string"
             }
            },
            "required": [
             "id",
             "tenant_id",
             "plan",
             "status",
             "billing_cycle",
             "started_at",
             "ends_at",
             "current_period_start",
             "current_period_end",
             "cancel_at_period_end"
            ],
            "type": "object"
           },
           "SubscriptionEnvelope": {
            "properties": {
             "subscription": {
              "$ref": "#/components/schemas/Subscription"
             }
            },
            "required": [
             "subscription"
            ],
            "type": "object"
           },
           "SubscriptionUpdateRequest": {
            "anyOf": [
             {
              "required": [
               "plan"
              ]
             },
             {
              "required": [
               "cancel_at_period_end"
              ]
             },
             {
              "required": [
               "status"
              ]
             }
            ],
            "properties": {
             "cancel_at_period_end": {
              "description": "`true`: end at the end of the current billing period; `false`: do not.",
              "type": "boolean"
             },
             "effective": {
              "default": "now",
              "description": "When a `plan` change takes effect (ignored without `plan`).",
              "enum": [
               "now",
               "period_end"
              ],
              "type": "string"
             },
             "plan": {
              "$ref": "#/components/schemas/PlanName",
              "description": "The plan to change to; an existing plan (400 otherwise)."
             },
             "status": {
              "description": "The payment status; system admins only.",
              "enum": [
               "active",
               "past_due"
              ],
              "type": "string"
             }
            },
            "type": "object"
           },
           "TOTPCode": {
            "description": "The current 6-digit TOTP code.",
            "pattern": "^[0-9]{6}$",
            "type": "string"
           },
           "Tenant": {
            "properties": {
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "name": {
              "type": "string"
             },
             "plan": {
              "description": "The billing plan (`free`, ...).",
              "type": "string"
             },
             "slug": {
              "description": "What users log in with (`tenant`).",
              "pattern": "^[a-z0-9-]+$",
              "type": "string"
             },
             "status": {
              "enum": [
               "active",
               "suspended"
              ],
              "type": "string"
             }
            },
            "required": [
             "id",
             "name",
             "slug",
             "status",
             "plan",
             "created_at"
            ],
            "type": "object"
           },
           "TenantPlan": {
            "properties": {
             "plan": {
              "$ref": "#/components/schemas/Plan"
             },
             "subscription": {
              "anyOf": [
               {
                "$ref": "#/components/schemas/Subscription"
               },
               {
                "type": "null"
               }
              ],
              "description": "`null`: no subscription, the default plan applies."
             }
            },
            "required": [
             "plan",
             "subscription"
            ],
            "type": "object"
           },
           "TokenPair": {
            "properties": {
             "access_token": {
              "description": "An EdDSA JWT, for `Authorization: Bearer`.",
              "type": "string"
             },
             "expires_in": {
              "description": "Seconds the access token is valid.",
              "type": "integer"
             },
             "refresh_expires_in": {
              "description": "Seconds the refresh token is valid.",
              "type": "integer"
             },
             "refresh_token": {
              "description": "Single-use (`crt_...`): each refresh returns a new one.",
              "type": "string"
             },
             "token_type": {
              "enum": [
               "Bearer"
              ],
              "type": "string"
             }
            },
            "required": [
             "access_token",
             "token_type",
             "expires_in",
             "refresh_token",
             "refresh_expires_in"
            ],
            "type": "object"
           },
           "ToolRun": {
            "properties": {
             "http_status": {
              "type": "integer"
             },
             "ms": {
              "type": "integer"
             },
             "name": {
              "type": "string"
             },
             "status": {
              "enum": [
               "ok",
               "timeout",
               "refused",
               "failed",
               "too_large",
               "http_error",
               "secret_missing"
              ],
              "type": "string"
             }
            },
            "required": [
             "name",
             "status",
             "ms"
            ],
            "type": "object"
           },
           "UsageHistory": {
            "properties": {
             "from": {
              "format": "date",
              "type": "string"
             },
             "series": {
              "items": {
               "$ref": "#/components/schemas/UsagePoint"
              },
              "type": "array"
             },
             "tenant_id": {
              "format": "uuid",
              "type": "string"
             },
             "to": {
              "format": "date",
              "type": "string"
             }
            },
            "required": [
             "tenant_id",
             "from",
             "to",
             "series"
            ],
            "type": "object"
           },
           "UsageLine": {
            "properties": {
             "limit": {
              "description": "The plan's limit (-1 unlimited; `storage_bytes` in bytes); absent for meters the\nplan does not limit.\n",
              "format": "int64",
              "minimum": -1,
              "type": "integer"
             },
             "period_end": {
              "description": "Absent for meters that never reset.",
              "format": "date-time",
              "type": "string"
             },
             "period_start": {
              "description": "Absent for meters that never reset (`documents`, `storage_bytes`).",
              "format": "date-time",
              "type": "string"
             },
             "resource": {
              "$ref": "#/components/schemas/Meter"
             },
             "used": {
              "description": "Use in the current period.",
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             }
            },
            "required": [
             "resource",
             "used"
            ],
            "type": "object"
           },
           "UsagePoint": {
            "properties": {
             "date": {
              "description": "The UTC day.",
              "format": "date",
              "type": "string"
             },
             "quantity": {
              "format": "int64",
              "minimum": 0,
              "type": "integer"
             },
             "resource": {
              "$ref": "#/components/schemas/Meter"
             },
             "subject_type": {
              "description": "With `group_by=user` only.",
              "enum": [
               "user",
               "api_key",
               "service"
              ],
              "type": "string"
             },
             "user_id": {
              "description": "With `group_by=user` only; the user id, API key id or service name.",
              "type": "string"
             }
            },
            "required": [
             "date",
             "resource",
             "quantity"
            ],
            "type": "object"
           },
           "UsageReport": {
            "example": {
             "plan": "free",
             "tenant_id": "0b6f3c1e-5d2a-4f8e-9c7b-1a2b3c4d5e6f",
             "usage": [
              {
               "limit": 100,
               "period_end": "2025-02-01T00:00:00Z",
               "period_start": "2025-01-01T00:00:00Z",
               "resource": "messages",
               "used": 42
              },
              {
               "limit": 50,
               "resource": "documents",
               "used": 7
              }
             ]
            },
            "properties": {
             "plan": {
              "$ref": "#/components/schemas/PlanName"
             },
             "tenant_id": {
              "format": "uuid",
              "type": "string"
             },
             "usage": {
              "description": "One line per meter.",
              "items": {
               "$ref": "#/components/schemas/UsageLine"
              },
              "type": "array"
             },
             "user_id": {
              "description": "Whose use this is; absent for the tenant's totals.",
              "type": "string"
             }
            },
            "required": [
             "tenant_id",
             "plan",
             "usage"
            ],
            "type": "object"
           },
           "User": {
            "properties": {
             "created_at": {
              "format": "date-time",
              "type": "string"
             },
             "display_name": {
              "description": "Empty when none was given.",
              "type": "string"
             },
             "email": {
              "type": "string"
             },
             "id": {
              "format": "uuid",
              "type": "string"
             },
             "locked_until": {
              "description": "Until when a lockout lasts; absent when there is none.",
              "format": "date-time",
              "type": [
               "string",
               "null"
              ]
             },
             "mfa_enabled": {
              "type": "boolean"
             },
             "role": {
              "$ref": "#/components/schemas/UserRole"
             },
             "status": {
              "enum": [
               "active",
               "disabled",
               "locked"
              ],
              "type": "string"
             },
             "tenant_id": {
              "format": "uuid",
              "type": "string"
             }
            },
            "required": [
             "id",
             "tenant_id",
             "email",
             "display_name",
             "role",
             "status",
             "mfa_enabled",
             "created_at"
            ],
            "type": "object"
           },
           "UserList": {
            "properties": {
             "users": {
              "items": {
               "$ref": "#/components/schemas/User"
              },
              "type": "array"
             }
            },
            "required": [
             "users"
            ],
            "type": "object"
           },
           "UserRole": {
            "enum": [
             "member",
             "tenant_admin",
             "system_admin"
            ],
            "type": "string"
           },
           "UserUpdateRequest": {
            "anyOf": [
             {
              "required": [
               "role"
              ]
             },
             {
              "required": [
               "status"
              ]
             }
            ],
            "properties": {
             "role": {
              "$ref": "#/components/schemas/UserRole"
             },
             "status": {
              "description": "`disabled` ends the user's sessions; `active` re-enables and clears a lockout.",
              "enum": [
               "active",
               "disabled"
              ],
              "type": "string"
             }
            },
            "type": "object"
           }
          },
          "securitySchemes": {
           "apiKeyHeader": {
            "description": "An API key, `cairn_<prefix>_<secret>`, from `POST /v1/api-keys`.",
            "in": "header",
            "name": "X-API-Key",
            "type": "apiKey"
           },
           "bearerAuth": {
            "bearerFormat": "JWT",
            "description": "An access token (EdDSA JWT) from register, login, MFA login or refresh. An API key\n(`cairn_<prefix>_<secret>`) is accepted as a bearer token too.\n",
            "scheme": "bearer",
            "type": "http"
           }
          }
         },
         "info": {
          "description": "Cairn is a multi-tenant retrieval-augmented chat platform. This is the public API as the\ngateway (port 8080) serves it: its own `/health`, `/ready` and `/openapi.json`, and the\noperations it forwards, unchanged, to the services behind it: the auth service's\n(sessions, multi-factor authentication, users, API keys, the audit log and the signing\nkeys), the billing service's (plans, subscriptions, usage reports and the invoice preview),\ningestion's (collections and documents), vector-search's (search and its indexes),\nembedding's (the OpenAI-compatible embeddings API), generation's (the OpenAI-compatible\nchat completions API) and the chat orchestrator's (assistants, conversations, grounded\nanswers and feedback).\n\n## Credentials\n\nOperations with a security requirement take exactly one credential:\n\n- `Authorization: Bearer <access token>`: the JWT from register, login or refresh\n  (15 minutes by default); or an API key sent as a bearer token;\n- `X-API-Key: cairn_<prefix>_<secret>`: an API key.\n\nSending both is 400 `INVALID_REQUEST`. A missing, malformed, expired or otherwise\nunverifiable credential is 401 `UNAUTHENTICATED` (never a reason); service credentials are\nnot accepted here. While API keys cannot be verified (auth unreachable) they are refused\nwith 503 `UNAVAILABLE`, never let in. Operations without a security requirement ignore\nAPI keys. System admins act on a tenant by naming it with `?tenant_id=` (or in the path,\n`/v1/tenants/{tenant_id}/...`); another tenant's objects answer 404, exactly like objects\nthat do not exist.\n\n## Rate limits\n\nEvery forwarded operation is rate-limited before it is forwarded (GCRA, in Redis; in\nprocess per replica while Redis is down):\n\n- with credentials: per caller (user or API key) and per route class by the tenant's\n  plan, and per tenant, shared by all its callers. Class `search` (`POST /v1/search`,\n  `POST /v1/embeddings`) is on the free plan 60 requests a minute per caller (burst 60)\n  and 600 per tenant; class `chat` (`POST /v1/chat/completions`, `POST /v1/chat`,\n  `POST /v1/conversations/{id}/messages`) 30 and 300; every other\n  operation is class `general`, 100 (burst 100) and 1,000;\n- without credentials (register, login, MFA login, refresh, logout, JWKS): 30 requests a\n  minute per client address.\n\nEvery answer of a forwarded operation carries `RateLimit-Limit` (capacity of the tightest\nbucket), `RateLimit-Remaining` (requests left in it) and `RateLimit-Reset` (seconds until it\nis full again), except answers given before the limiter ran: the gateway's own 401, the 400\nfor two credentials, the 503 for unverifiable API keys, and a 413 for a declared body too\nlarge for the server. Over the limit the answer is 429 `RATE_LIMITED` with `Retry-After`\n(seconds) and `details` `{limit, retry_after_seconds}`. One organisation has at most 256\nrequests in the hands of one gateway replica at once, streamed answers included; past that\nthe answer is 429 `CONCURRENCY_LIMITED` with `Retry-After: 1` and `details`\n`{limit, retry_after_seconds}`.\n\nOperations that consume a plan quota are also checked with billing, after the rate limit:\nadding a document (`documents`), and a chat completion or a question asked in a\nconversation (`messages`). A used-up quota is 429\n`QUOTA_EXCEEDED` with `details` `{resource, current_usage, limit, reset_at}` and no\n`Retry-After`. While billing cannot answer, requests go ahead.\n\n## Errors\n\nEvery error has one shape, the `Error` schema:\n`{\"error\": {\"code\": \"...\", \"message\": \"...\", \"details\": {...}, \"request_id\": \"...\"}}`.\n`code` is stable and machine-readable (`INVALID_REQUEST`, `UNAUTHENTICATED`,\n`INVALID_CREDENTIALS`, `INVALID_TOKEN`, `FORBIDDEN`, `REGISTRATION_CLOSED`, `NOT_FOUND`,\n`CONFLICT`, `REQUEST_TIMEOUT`, `PAYLOAD_TOO_LARGE`, `RATE_LIMITED`, `CONCURRENCY_LIMITED`,\n`QUOTA_EXCEEDED`, `BAD_GATEWAY`, `UNAVAILABLE`, `UPSTREAM_TIMEOUT`, `INTERNAL`, and where an\noperation says so `LIMIT_EXCEEDED`, `MODEL_NOT_FOUND`, `DOCUMENT_TOO_LARGE`, `UNSUPPORTED_MEDIA_TYPE`,\n`EMPTY_DOCUMENT`, `EMBEDDING_UNAVAILABLE`, `PROVIDER_UNAVAILABLE`, `PROVIDER_ERROR`);\n`message` is for people. Malformed JSON, a missing required field or a value of the wrong\ntype is 400 `INVALID_REQUEST`. Request bodies are limited to 1 MiB (`CAIRN_MAX_BODY_BYTES`;\ndocument uploads stream through up to 50 MiB): larger ones are 413 `PAYLOAD_TOO_LARGE` with\n`details.limit_bytes`. When the service behind the gateway cannot be reached the answer is\n503 `UNAVAILABLE`, when it does not answer within 30 s (longer where an operation says so)\n504 `UPSTREAM_TIMEOUT`, when it fails mid-answer 502 `BAD_GATEWAY`.\n\n## Conventions\n\nJSON bodies (`Content-Type: application/json`; a document upload may be\n`multipart/form-data`, a streamed chat completion answers `text/event-stream`); keys\nsnake_case and sorted (`POST /v1/embeddings` answers in OpenAI's order); times ISO 8601 in\nUTC (`2025-01-31T09:30:00Z`); ids lower-case UUIDs. Unknown body fields are ignored.\nEvery answer carries `X-Request-ID`: the caller's own when it is 1-128 characters of\n`[A-Za-z0-9._:-]`, a fresh UUID otherwise; quote it when reporting a problem.\n",
          "title": "Cairn public API",
          "version": "v1"
         },
         "openapi": "3.1.0",
         "paths": {
          "/.well-known/jwks.json": {
           "get": {
            "description": "The public keys access tokens are verified with (OKP / Ed25519, chosen by `kid`): the\nactive key and every retired key whose tokens may still be valid. Cacheable for 60 s.\n",
            "operationId": "getJWKS",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/JWKS"
                }
               }
              },
              "description": "The key set.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "security": [],
            "summary": "Public signing keys",
            "tags": [
             "keys"
            ]
           }
          },
          "/health": {
           "get": {
            "description": "200 while the gateway process is alive. Not rate-limited.",
            "operationId": "getHealth",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Health"
                }
               }
              },
              "description": "Alive.",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             }
            },
            "security": [],
            "summary": "Liveness",
            "tags": [
             "gateway"
            ]
           }
          },
          "/openapi.json": {
           "get": {
            "description": "This OpenAPI document as JSON (cacheable for 5 minutes). Not rate-limited.",
            "operationId": "getOpenAPIDocument",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "properties": {
                  "info": {
                   "type": "object"
                  },
                  "openapi": {
                   "type": "string"
                  },
                  "paths": {
                   "type": "object"
                  }
                 },
                 "required": [
                  "openapi",
                  "info",
                  "paths"
                 ],
                 "type": "object"
                }
               }
              },
              "description": "The document.",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             }
            },
            "security": [],
            "summary": "This document",
            "tags": [
             "gateway"
            ]
           }
          },
          "/ready": {
           "get": {
            "description": "Whether the gateway can serve: every dependency check (Redis `PING`) is run on each\ncall, concurrently, each bounded to 2 s. Not rate-limited.\n",
            "operationId": "getReadiness",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "example": {
                 "checks": [
                  {
                   "name": "redis",
                   "ok": true
                  }
                 ],
                 "failing": [],
                 "status": "ready"
                },
                "schema": {
                 "$ref": "#/components/schemas/ReadinessReport"
                }
               }
              },
              "description": "Every check passed.",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "503": {
              "content": {
               "application/json": {
                "example": {
                 "checks": [
                  {
                   "error": "connection refused",
                   "name": "redis",
                   "ok": false
                  }
                 ],
                 "failing": [
                  "redis"
                 ],
                 "status": "unavailable"
                },
                "schema": {
                 "$ref": "#/components/schemas/ReadinessReport"
                }
               }
              },
              "description": "At least one check failed; `failing` names them.",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             }
            },
            "security": [],
            "summary": "Readiness",
            "tags": [
             "gateway"
            ]
           }
          },
          "/v1/admin/conversations": {
           "get": {
            "description": "The conversations of every user of the tenant, or of one (`user_id`), archived or not\n(`archived` narrows), newest first, paginated: pass `next_cursor` as `cursor` for the\nnext page (`null` on the last). Needs `audit:read` (tenant admins); members are 403.\n",
            "operationId": "auditConversations",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "description": "Only this user's conversations.",
              "in": "query",
              "name": "user_id",
              "required": false,
              "schema": {
               "maxLength": 200,
               "minLength": 1,
               "type": "string"
              }
             },
             {
              "description": "`true`: only archived conversations; `false`: only the others; absent: both.",
              "in": "query",
              "name": "archived",
              "required": false,
              "schema": {
               "type": "boolean"
              }
             },
             {
              "$ref": "#/components/parameters/PageLimit"
             },
             {
              "$ref": "#/components/parameters/PageCursor"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/ConversationPage"
                }
               }
              },
              "description": "A page of conversations.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Any user's conversations (audit)",
            "tags": [
             "conversations"
            ]
           }
          },
          "/v1/admin/conversations/{id}/messages": {
           "get": {
            "description": "The messages of any conversation of the tenant, oldest first, paginated like\n`listMessages`. Needs `audit:read` (tenant admins); members are 403; another tenant's\nconversation is 404.\n",
            "operationId": "auditMessages",
            "parameters": [
             {
              "$ref": "#/components/parameters/ConversationID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/PageLimit"
             },
             {
              "$ref": "#/components/parameters/PageCursor"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/MessagePage"
                }
               }
              },
              "description": "A page of messages.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Any user's conversation messages (audit)",
            "tags": [
             "conversations"
            ]
           }
          },
          "/v1/admin/signing-keys/rotate": {
           "post": {
            "description": "A new signing key, active at once; the old one stays in the JWKS until every token it\nsigned has expired, so nobody is logged out. No request body. System admins only (403\nfor everyone else).\n",
            "operationId": "rotateSigningKey",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/RotatedKey"
                }
               }
              },
              "description": "The new key's id.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Rotate the signing key now",
            "tags": [
             "keys"
            ]
           }
          },
          "/v1/api-keys": {
           "get": {
            "description": "Keys not revoked, oldest first; never the key itself. Needs `api_keys:read`.",
            "operationId": "listAPIKeys",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/APIKeyList"
                }
               }
              },
              "description": "The keys.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's live API keys",
            "tags": [
             "api-keys"
            ]
           },
           "post": {
            "description": "A key `cairn_<prefix>_<secret>`, shown once (only its hash is kept). Its scopes are at\nmost the creator's (403 otherwise); by default a member's permissions, as far as the\ncreator holds them. Needs `api_keys:manage`.\n",
            "operationId": "createAPIKey",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "expires_in_days": 90,
                "name": "nightly import",
                "scopes": [
                 "documents:read",
                 "documents:write"
                ]
               },
               "schema": {
                "$ref": "#/components/schemas/CreateAPIKeyRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/CreatedAPIKey"
                }
               }
              },
              "description": "The key, shown this once, and its listing.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Create an API key",
            "tags": [
             "api-keys"
            ]
           }
          },
          "/v1/api-keys/{id}": {
           "delete": {
            "description": "Revokes a live key of the tenant. The gateway caches key lookups, so a revoked key may\nkeep working for up to 30 s. Needs `api_keys:manage`.\n",
            "operationId": "revokeAPIKey",
            "parameters": [
             {
              "description": "The key's id (not its prefix). Anything but a UUID is 404.",
              "in": "path",
              "name": "id",
              "required": true,
              "schema": {
               "format": "uuid",
               "type": "string"
              }
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "204": {
              "description": "Revoked.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Revoke an API key",
            "tags": [
             "api-keys"
            ]
           }
          },
          "/v1/assistants": {
           "get": {
            "description": "Every assistant of the tenant (not paginated). Needs `assistants:read`.\n",
            "operationId": "listAssistants",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/AssistantList"
                }
               }
              },
              "description": "The assistants.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's assistants",
            "tags": [
             "assistants"
            ]
           },
           "post": {
            "description": "An assistant: instructions, model, sampling, the collections it searches and how.\n`name` is required; unset fields take the service's defaults (the configured model and\n`top_k`, strategy `auto`, every collection). Needs `assistants:write` (tenant admins).\n",
            "operationId": "createAssistant",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "collection_ids": [
                 "3c1d8e2a-5b6f-4a7c-9d0e-1f2a3b4c5d6e"
                ],
                "instructions": "Answer from the handbook only.",
                "name": "HR helper",
                "strategy": "hybrid",
                "top_k": 8
               },
               "schema": {
                "$ref": "#/components/schemas/AssistantInput"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Assistant"
                }
               }
              },
              "description": "The assistant.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Create an assistant",
            "tags": [
             "assistants"
            ]
           }
          },
          "/v1/assistants/{id}": {
           "delete": {
            "description": "Deletes the assistant; the tenant's default assistant cannot be deleted (409\n`CONFLICT`). Needs `assistants:write`.\n",
            "operationId": "deleteAssistant",
            "parameters": [
             {
              "$ref": "#/components/parameters/AssistantID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "204": {
              "description": "Deleted.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Delete an assistant",
            "tags": [
             "assistants"
            ]
           },
           "get": {
            "description": "An assistant of the tenant. Needs `assistants:read`.\n",
            "operationId": "getAssistant",
            "parameters": [
             {
              "$ref": "#/components/parameters/AssistantID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Assistant"
                }
               }
              },
              "description": "The assistant.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "One assistant",
            "tags": [
             "assistants"
            ]
           },
           "patch": {
            "description": "Sets any of the fields given; the others keep their values. Needs `assistants:write`.\n",
            "operationId": "updateAssistant",
            "parameters": [
             {
              "$ref": "#/components/parameters/AssistantID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "temperature": 0.2,
                "top_k": 5
               },
               "schema": {
                "$ref": "#/components/schemas/AssistantInput"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Assistant"
                }
               }
              },
              "description": "The assistant as changed.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Change an assistant",
            "tags": [
             "assistants"
            ]
           }
          },
          "/v1/audit": {
           "get": {
            "description": "Audit events of the tenant, newest first, filtered and paginated: pass `next_cursor` as\n`cursor` for the next page (absent on the last). Needs `audit:read`.\n",
            "operationId": "listAuditEvents",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "description": "Only events with this action (`auth.login`, `user.invite`, `api_key.create`, ...).",
              "in": "query",
              "name": "action",
              "schema": {
               "type": "string"
              }
             },
             {
              "description": "Only events by this actor (a user id, API key id or service name).",
              "in": "query",
              "name": "actor_id",
              "schema": {
               "type": "string"
              }
             },
             {
              "description": "Only events with this outcome.",
              "in": "query",
              "name": "outcome",
              "schema": {
               "enum": [
                "success",
                "failure",
                "denied"
               ],
               "type": "string"
              }
             },
             {
              "description": "Only events at or after this time (ISO 8601).",
              "in": "query",
              "name": "since",
              "schema": {
               "format": "date-time",
               "type": "string"
              }
             },
             {
              "description": "Only events before this time (ISO 8601).",
              "in": "query",
              "name": "until",
              "schema": {
               "format": "date-time",
               "type": "string"
              }
             },
             {
              "description": "Events per page.",
              "in": "query",
              "name": "limit",
              "schema": {
               "default": 50,
               "maximum": 200,
               "minimum": 1,
               "type": "integer"
              }
             },
             {
              "description": "The `next_cursor` of the previous page; anything else is 400.",
              "in": "query",
              "name": "cursor",
              "schema": {
               "type": "string"
              }
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/AuditPage"
                }
               }
              },
              "description": "A page of events.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's audit log",
            "tags": [
             "audit"
            ]
           }
          },
          "/v1/auth/login": {
           "post": {
            "description": "Starts a session, or, when the user has MFA on, answers a challenge to complete with\n`POST /v1/auth/login/mfa` within 5 minutes.\n\nEvery refusal is the same 401 `INVALID_CREDENTIALS`, whether the tenant, the email or\nthe password is wrong, or the account is disabled or locked. More than 5 wrong passwords\nwithin 15 minutes lock the account for 15 minutes (or until an admin unlocks it); a\nlocked account gets the same 401 (there is no 423).\n",
            "operationId": "login",
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "email": "admin@acme.example",
                "password": "tangerine-Orbit-42",
                "tenant": "acme-corp"
               },
               "schema": {
                "$ref": "#/components/schemas/LoginRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "oneOf": [
                  {
                   "$ref": "#/components/schemas/Session"
                  },
                  {
                   "$ref": "#/components/schemas/MFAChallenge"
                  }
                 ]
                }
               }
              },
              "description": "A session, or the MFA challenge to complete first.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequest"
             },
             "401": {
              "$ref": "#/components/responses/CredentialsRefused"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "security": [],
            "summary": "Log in with a password",
            "tags": [
             "sessions"
            ]
           }
          },
          "/v1/auth/login/mfa": {
           "post": {
            "description": "The challenge from login plus the current TOTP `code` (one step either side accepted;\neach step logs in once) or an unused `recovery_code`. A challenge allows 5 attempts;\nwrong codes count towards the account lockout. 401 `INVALID_TOKEN` for an unknown,\nexpired, used or exhausted challenge, `INVALID_CREDENTIALS` for a wrong code.\n",
            "operationId": "completeMFALogin",
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "code": "492039",
                "mfa_token": "mfa_Xq3Jk1Jc9o2ZT8Hn0lMvWb7uYdR4sE6aPfGhKiLoNm0"
               },
               "schema": {
                "$ref": "#/components/schemas/MFALoginRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Session"
                }
               }
              },
              "description": "Signed in.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequest"
             },
             "401": {
              "$ref": "#/components/responses/CredentialsRefused"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "security": [],
            "summary": "Complete a login with the second factor",
            "tags": [
             "sessions",
             "mfa"
            ]
           }
          },
          "/v1/auth/logout": {
           "post": {
            "description": "Revokes the session (token family) of the refresh token. Always 204, also for unknown\ntokens. Access tokens already issued stay valid until they expire.\n",
            "operationId": "logout",
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "refresh_token": "crt_pX0tq2S6Yb4b8lH3z1yN9d2kQ7aR5mV8cW1eT6uI3oA"
               },
               "schema": {
                "$ref": "#/components/schemas/RefreshTokenRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "204": {
              "description": "The session has ended (or there was none).",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequest"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "security": [],
            "summary": "End a session",
            "tags": [
             "sessions"
            ]
           }
          },
          "/v1/auth/logout-all": {
           "post": {
            "description": "Revokes every refresh-token family of the user. Users only; an API key gets 400.",
            "operationId": "logoutAll",
            "responses": {
             "204": {
              "description": "Every session has ended.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "End every session of the signed-in user",
            "tags": [
             "sessions"
            ]
           }
          },
          "/v1/auth/me": {
           "get": {
            "description": "The verified identity, its effective permissions (the role's, narrowed by the\ncredential's scopes), and, where they exist, the user and the tenant.\n",
            "operationId": "getMe",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Me"
                }
               }
              },
              "description": "The caller.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The caller",
            "tags": [
             "sessions"
            ]
           }
          },
          "/v1/auth/mfa/confirm": {
           "post": {
            "description": "Confirms the enrolment with a current code: MFA is on, and 10 single-use recovery codes\nare shown, once. 400 when the code does not match (or the caller is not a user), 409\nwhen there is no pending enrolment or MFA is already on.\n",
            "operationId": "confirmMFA",
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "code": "492039"
               },
               "schema": {
                "$ref": "#/components/schemas/CodeRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/RecoveryCodes"
                }
               }
              },
              "description": "MFA is on.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Turn MFA on",
            "tags": [
             "mfa"
            ]
           }
          },
          "/v1/auth/mfa/disable": {
           "post": {
            "description": "Turns MFA off with a current code; the secret and the recovery codes are deleted. 400\nwhen the code does not match (or the caller is not a user), 409 when MFA is not on.\n",
            "operationId": "disableMFA",
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "code": "492039"
               },
               "schema": {
                "$ref": "#/components/schemas/CodeRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "204": {
              "description": "MFA is off.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Turn MFA off",
            "tags": [
             "mfa"
            ]
           }
          },
          "/v1/auth/mfa/enroll": {
           "post": {
            "description": "A new TOTP secret for the signed-in user (replacing an unconfirmed one); MFA is on only\nonce confirmed. No request body. Users only: an API key gets 400. 409 when MFA is\nalready on.\n",
            "operationId": "enrollMFA",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/MFAEnrolment"
                }
               }
              },
              "description": "The secret, to load into an authenticator app.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Start MFA enrolment",
            "tags": [
             "mfa"
            ]
           }
          },
          "/v1/auth/refresh": {
           "post": {
            "description": "Exchanges a refresh token for a new access token and a new refresh token; the one\npresented is used up. Presenting a used one again revokes its whole session family.\n401 `INVALID_TOKEN` for unknown, used, revoked or expired tokens, and for accounts that\nare disabled or locked.\n",
            "operationId": "refreshSession",
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "refresh_token": "crt_pX0tq2S6Yb4b8lH3z1yN9d2kQ7aR5mV8cW1eT6uI3oA"
               },
               "schema": {
                "$ref": "#/components/schemas/RefreshTokenRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/TokenPair"
                }
               }
              },
              "description": "The new token pair.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequest"
             },
             "401": {
              "$ref": "#/components/responses/CredentialsRefused"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "security": [],
            "summary": "Rotate a refresh token",
            "tags": [
             "sessions"
            ]
           }
          },
          "/v1/auth/register": {
           "post": {
            "description": "Either creates a tenant (its slug derived from `organisation`) and its first\n`tenant_admin` (refused with 403 `REGISTRATION_CLOSED` when open registration is off),\nor, with `invitation_token`, joins the inviting tenant with the invited email and role\n(`organisation` and `email` are then ignored). Either way a session starts.\n\nPasswords: 10 to 72 bytes, not a common password, not containing the email's local\npart, at least 4 different characters.\n",
            "operationId": "register",
            "requestBody": {
             "content": {
              "application/json": {
               "examples": {
                "invitation": {
                 "summary": "Joining by invitation",
                 "value": {
                  "invitation_token": "inv_3q2-7wEvAS5ZPFcRX6VhoKzMgaQF9oB4cnF3cBxF1Vw",
                  "password": "tangerine-Orbit-42"
                 }
                },
                "organisation": {
                 "summary": "A new organisation",
                 "value": {
                  "display_name": "Ada Admin",
                  "email": "admin@acme.example",
                  "organisation": "Acme Corp",
                  "password": "tangerine-Orbit-42"
                 }
                }
               },
               "schema": {
                "$ref": "#/components/schemas/RegisterRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Registration"
                }
               }
              },
              "description": "Registered and signed in.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequest"
             },
             "401": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`INVALID_TOKEN`: the invitation is unknown, used, expired, or its tenant is not active.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "403": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`REGISTRATION_CLOSED`: new organisations are by invitation only here.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`CONFLICT`: the invited email already has an account in that organisation (the\ninvitation stays usable), or no free slug could be found for the organisation name.\n",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "security": [],
            "summary": "Register an organisation, or join one by invitation",
            "tags": [
             "sessions"
            ]
           }
          },
          "/v1/chat": {
           "post": {
            "description": "Starts a conversation with `assistant_id` (the tenant's default without one), titled\nafter the first line of the question, and answers in it as\n`POST /v1/conversations/{id}/messages` does (`conversation_id` names it).\n\nThe retrieval-augmented answer: the question is stored, the conversation's assistant\nsearches its collections (its `filters`, overridden field by field by the request's),\nthe recent history and the sources ground the answer, and the answer is stored with its\nsources (`[n]` citations). Answers JSON, or with `stream: true` (or, when `stream` is\nabsent, `Accept: text/event-stream`) server-sent events.\n\nWith an `Idempotency-Key` the same key (per user) is answered once: a retry after the\nanswer replays it (`metadata.replayed`), a retry while it is being answered is 409\n`IDEMPOTENCY_IN_PROGRESS`, and the key reused for a different request (another\nconversation, question, assistant or filters) is 422 `IDEMPOTENCY_KEY_REUSED`. The same\nstand-alone question to the same (unchanged, temperature 0) assistant over unchanged\ncollections may be answered from the answer cache (`metadata.cached`, no tokens); it is\nstored and counted as a message like any answer. `content` (or `message`) longer than the configured limit is\n400 `LIMIT_EXCEEDED`. Rate class `chat`; needs the plan's `messages` quota left (429\n`QUOTA_EXCEEDED`). A non-streamed answer must be complete, a streamed one must start,\nwithin 120 s. Needs `chat:create`.\n",
            "operationId": "chat",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/IdempotencyKey"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "content": "How many days of leave do I get?",
                "stream": true
               },
               "schema": {
                "$ref": "#/components/schemas/ChatRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/ChatAnswer"
                }
               },
               "text/event-stream": {
                "example": "event: sources\ndata: {\"degraded\":[],\"retrieval_ms\":42,\"sources\":[{\"chunk_id\":\"c-17\",\"cited\":true,\"document_id\":\"5f0c3a5e-8a43-4c41-9b8e-2f1d6c7a9b10\",\"index\":1,\"score\":0.82,\"text\":\"Employees accrue 2 days of leave a month.\",\"title\":\"Leave policy\"}],\"strategy\":\"hybrid\"}\n\nevent: delta\ndata: {\"text\":\"24 days a year [1].\"}\n\nevent: done\ndata: {\"conversation_id\":\"9b2e6c1a-3f4d-4e5b-8a7c-1d2e3f4a5b6c\",\"message_id\":\"0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b\",\"metadata\":{\"cached\":false,\"degraded\":[],\"generation_ms\":310,\"interrupted\":false,\"latency_ms\":380,\"model\":\"cairn-extractive-1\",\"replayed\":false,\"retrieval_ms\":42,\"strategy\":\"hybrid\"},\"user_message_id\":\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d\"}\n",
                "schema": {
                 "additionalProperties": false,
                 "description": "Server-sent events, each `event: <name>` and `data: <JSON>`: first `sources`\n(a `ChatSourcesEvent`), then any number of `delta` (a `ChatDeltaEvent`, the next\npiece of the answer), then `done` (a `ChatAnswer` without `message`) or\n`error` (a `ChatErrorEvent`). A retried request whose\nIdempotency-Key was already answered replays the stored answer as one\n`sources`, one `delta` and `done` (`metadata.replayed` true).\n",
                 "properties": {
                  "data": {
                   "type": "string"
                  },
                  "event": {
                   "type": "string"
                  },
                  "id": {
                   "type": "string"
                  },
                  "retry": {
                   "type": "integer"
                  }
                 },
                 "required": [
                  "data"
                 ],
                 "type": "object"
                }
               }
              },
              "description": "The answer, whole (JSON) or streamed (`stream: true` or `Accept: text/event-stream`).",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`IDEMPOTENCY_IN_PROGRESS`: a request with this Idempotency-Key is still being answered; retry later.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "422": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`IDEMPOTENCY_KEY_REUSED`: this Idempotency-Key was used for a different request; use a new key.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "429": {
              "$ref": "#/components/responses/RateLimitedOrQuotaExceeded"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`GENERATION_UNAVAILABLE`: no answer could be generated (the question was kept); or\n`UNAVAILABLE` as for every operation.\n",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Ask in a new conversation",
            "tags": [
             "answers"
            ]
           }
          },
          "/v1/chat/completions": {
           "post": {
            "description": "OpenAI's chat completions API, for programs that bring their own context. The last\nmessage must be the user's (the question); `system` and `developer` messages become the\ninstructions, earlier `user` and `assistant` messages the history. With `sources`\n(Cairn's extension) the answer is grounded in them and cites them as `[n]`. `model` is a\nmodel or alias of `GET /v1/models` (404 `MODEL_NOT_FOUND` otherwise; an alias falls\nback along its chain); without it the configured default.\n\n`stream: true` answers `text/event-stream`: `data:` lines of `chat.completion.chunk`\nobjects (a first delta with `role`, content deltas, a last one with `finish_reason`, a\nusage chunk with `stream_options.include_usage`), then `data: [DONE]`. If the provider\nfails mid-answer a `data: {\"error\": {...}}` line comes before `[DONE]`. If no model can\nstart, the answer is 503 before any event.\n\nSampling values are clamped, not refused: `temperature` to 0-1 (default 0), `top_p` to\n0.1-1, `max_tokens` to 1-4096 (default 1024) and the model's own limit; `stop` keeps the\nfirst 4 non-empty sequences, each cut to 64 characters. Rate class `chat`; needs the\nplan's `messages` quota left (429 `QUOTA_EXCEEDED`). A non-streamed answer must be\ncomplete, a streamed one must start, within 120 s. Needs `generation:create`.\n",
            "operationId": "createChatCompletion",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "messages": [
                 {
                  "content": "Answer briefly.",
                  "role": "system"
                 },
                 {
                  "content": "How many days of leave do I get?",
                  "role": "user"
                 }
                ],
                "sources": [
                 {
                  "text": "Employees accrue 2 days of leave a month.",
                  "title": "Leave policy"
                 }
                ]
               },
               "schema": {
                "$ref": "#/components/schemas/ChatCompletionRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/ChatCompletion"
                }
               },
               "text/event-stream": {
                "example": "data: {\"choices\":[{\"delta\":{\"content\":\"\",\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1769851800,\"id\":\"chatcmpl-0b6f3c1e5d2a4f8e9c7b1a2b3c4d5e6f\",\"model\":\"cairn-extractive-1\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":null}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"24 days a year [1].\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1769851800,\"id\":\"chatcmpl-0b6f3c1e5d2a4f8e9c7b1a2b3c4d5e6f\",\"model\":\"cairn-extractive-1\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":null}\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\",\"index\":0,\"logprobs\":null}],\"created\":1769851800,\"id\":\"chatcmpl-0b6f3c1e5d2a4f8e9c7b1a2b3c4d5e6f\",\"model\":\"cairn-extractive-1\",\"object\":\"chat.completion.chunk\",\"system_fingerprint\":null}\n\ndata: [DONE]\n",
                "schema": {
                 "additionalProperties": false,
                 "description": "Server-sent events, each `data: <ChatCompletionChunk JSON>`, ending with\n`data: [DONE]`.\n",
                 "properties": {
                  "data": {
                   "type": "string"
                  },
                  "event": {
                   "type": "string"
                  },
                  "id": {
                   "type": "string"
                  },
                  "retry": {
                   "type": "integer"
                  }
                 },
                 "required": [
                  "data"
                 ],
                 "type": "object"
                }
               }
              },
              "description": "The answer, whole (JSON) or streamed (`stream: true`).",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`MODEL_NOT_FOUND`: no such model or alias (the message lists those served); or `NOT_FOUND`: another tenant named.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimitedOrQuotaExceeded"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`PROVIDER_UNAVAILABLE`: no model of the chain could answer (`details.reasons` says\nwhy; retry later); or `UNAVAILABLE` as for every operation.\n",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Chat completion (OpenAI-compatible)",
            "tags": [
             "chat"
            ]
           }
          },
          "/v1/collections": {
           "get": {
            "description": "Live collections of the tenant, oldest first, paginated: pass `next_cursor` as `cursor`\nfor the next page (`null` on the last). Needs `documents:read`.\n",
            "operationId": "listCollections",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/PageLimit"
             },
             {
              "$ref": "#/components/parameters/PageCursor"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/CollectionPage"
                }
               }
              },
              "description": "A page of collections.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's collections",
            "tags": [
             "collections"
            ]
           },
           "post": {
            "description": "A named set of documents with its chunking settings. 409 when the tenant has a live\ncollection of that name. Needs `documents:write`.\n",
            "operationId": "createCollection",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "chunk_overlap": 32,
                "chunk_size": 256,
                "description": "HR policies",
                "name": "Handbook"
               },
               "schema": {
                "$ref": "#/components/schemas/CollectionCreateRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Collection"
                }
               }
              },
              "description": "The collection.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Create a collection",
            "tags": [
             "collections"
            ]
           }
          },
          "/v1/collections/{id}": {
           "delete": {
            "description": "Deletes the collection and marks every document in it `deleted`, in one step; their\nchunks leave search shortly after. A collection already deleted is 404. Needs\n`documents:delete` (tenant admins).\n",
            "operationId": "deleteCollection",
            "parameters": [
             {
              "$ref": "#/components/parameters/CollectionID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "204": {
              "description": "Deleted.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Delete a collection and its documents",
            "tags": [
             "collections"
            ]
           },
           "get": {
            "description": "A live collection; deleted ones are 404. Needs `documents:read`.",
            "operationId": "getCollection",
            "parameters": [
             {
              "$ref": "#/components/parameters/CollectionID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Collection"
                }
               }
              },
              "description": "The collection.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "One collection",
            "tags": [
             "collections"
            ]
           },
           "patch": {
            "description": "Sets any of `name`, `description`, `chunk_size`, `chunk_overlap`; the result must be\nvalid as a whole. New chunking settings apply to documents processed from now on (stored\nones are not chunked again). `embedding_model` cannot change: a different value is 400.\n409 when another live collection has the new name. Needs `documents:write`.\n",
            "operationId": "updateCollection",
            "parameters": [
             {
              "$ref": "#/components/parameters/CollectionID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "2026 edition": null,
                "description": "HR policies"
               },
               "schema": {
                "$ref": "#/components/schemas/CollectionUpdateRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Collection"
                }
               }
              },
              "description": "The collection as changed.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Change a collection",
            "tags": [
             "collections"
            ]
           }
          },
          "/v1/collections/{id}/documents": {
           "post": {
            "description": "Accepts a document for processing (extraction, chunking, embedding, indexing) and\nanswers 202 at once; follow `status_url` until `indexed` or `failed` (with `error`).\nEither a `multipart/form-data` upload (a `file` part plus optional fields) or a JSON\nbody with text `content`.\n\nThe type comes from `mime_type`, else the file part's `Content-Type`, and only when\nthose say nothing (absent, `application/octet-stream`) from the bytes and the file name.\nAccepted: `text/plain`, `text/markdown`, `text/html`, `application/json`,\n`application/pdf` and DOCX; anything else is 415 `UNSUPPORTED_MEDIA_TYPE`. Content over\n25 MiB (`CAIRN_INGESTION_MAX_UPLOAD_BYTES`) is 413 `DOCUMENT_TOO_LARGE`; empty content\n422 `EMPTY_DOCUMENT`. Other problems with the content (corrupt, encrypted, too many\npages) are found while processing and end the document `failed`.\n\nAn `external_id` already in the collection submits a new version of that document\n(same id) instead of a new one. Counts against the plan's `documents` quota (429\n`QUOTA_EXCEEDED`). Bodies stream through the gateway up to 50 MiB\n(`CAIRN_GATEWAY_UPLOAD_MAX_BYTES`); the upload and the answer must be done within\n120 s. Needs `documents:write`.\n",
            "operationId": "submitDocument",
            "parameters": [
             {
              "$ref": "#/components/parameters/CollectionID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "content": "# Leave policy\n\nEmployees accrue 2 days of leave a month.",
                "external_id": "hr/leave-policy",
                "metadata": {
                 "category": "hr",
                 "tags": "policy,leave"
                },
                "mime_type": "text/markdown",
                "title": "Leave policy"
               },
               "schema": {
                "$ref": "#/components/schemas/DocumentSubmission"
               }
              },
              "multipart/form-data": {
               "encoding": {
                "file": {
                 "contentType": "*/*"
                }
               },
               "schema": {
                "$ref": "#/components/schemas/DocumentUploadForm"
               }
              }
             },
             "required": true
            },
            "responses": {
             "202": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/AcceptedDocument"
                }
               }
              },
              "description": "Accepted; processing follows.",
              "headers": {
               "Location": {
                "description": "The document, `/v1/documents/{id}` (as `status_url`).",
                "required": true,
                "schema": {
                 "type": "string"
                }
               },
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "413": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`DOCUMENT_TOO_LARGE`: the content is over ingestion's upload limit; or\n`PAYLOAD_TOO_LARGE`: the body is over the gateway's upload limit (a declared one\nrefused before the rate limiter, without `RateLimit-*` headers). `details.limit_bytes`\neither way.\n",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "415": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`UNSUPPORTED_MEDIA_TYPE`: the body is neither `multipart/form-data` nor\n`application/json`, or the document's type is not one ingestion extracts; the\nmessage lists the supported ones.\n",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "422": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`EMPTY_DOCUMENT`: the content has no bytes.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "429": {
              "$ref": "#/components/responses/RateLimitedOrQuotaExceeded"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Add a document to a collection",
            "tags": [
             "documents"
            ]
           }
          },
          "/v1/conversations": {
           "get": {
            "description": "The caller's own conversations (archived ones with `archived=true`), paginated: pass\n`next_cursor` as `cursor` for the next page (`null` on the last). Needs `chat:read`.\n",
            "operationId": "listConversations",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/ConversationArchived"
             },
             {
              "$ref": "#/components/parameters/PageLimit"
             },
             {
              "$ref": "#/components/parameters/PageCursor"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/ConversationPage"
                }
               }
              },
              "description": "A page of conversations.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The caller's conversations",
            "tags": [
             "conversations"
            ]
           },
           "post": {
            "description": "A new, empty conversation of the caller's with the named assistant (the tenant's default\nwithout one; an unknown one is 404), titled `title` (1-200 characters, default\n`New conversation`). Needs `chat:create`.\n",
            "operationId": "createConversation",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "title": "Leave questions"
               },
               "schema": {
                "$ref": "#/components/schemas/ConversationCreateRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Conversation"
                }
               }
              },
              "description": "The conversation.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Start a conversation",
            "tags": [
             "conversations"
            ]
           }
          },
          "/v1/conversations/{id}": {
           "delete": {
            "description": "Deletes one of the caller's conversations and its messages. Needs `chat:create`.\n",
            "operationId": "deleteConversation",
            "parameters": [
             {
              "$ref": "#/components/parameters/ConversationID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "204": {
              "description": "Deleted.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Delete a conversation",
            "tags": [
             "conversations"
            ]
           },
           "get": {
            "description": "One of the caller's conversations; anyone else's is 404. Needs `chat:read`.\n",
            "operationId": "getConversation",
            "parameters": [
             {
              "$ref": "#/components/parameters/ConversationID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Conversation"
                }
               }
              },
              "description": "The conversation.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "One conversation",
            "tags": [
             "conversations"
            ]
           },
           "patch": {
            "description": "Sets `title` (1-200 characters) and/or `archived`. Needs `chat:create`.\n",
            "operationId": "updateConversation",
            "parameters": [
             {
              "$ref": "#/components/parameters/ConversationID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "archived": true
               },
               "schema": {
                "$ref": "#/components/schemas/ConversationUpdateRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Conversation"
                }
               }
              },
              "description": "The conversation as changed.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Rename or archive a conversation",
            "tags": [
             "conversations"
            ]
           }
          },
          "/v1/conversations/{id}/export": {
           "get": {
            "description": "One of the caller's conversations with all its messages, as JSON (`format=json`, the\ndefault) or Markdown (`format=markdown` or `md`; cited sources listed under each answer).\nAny other format is 400. Needs `chat:read`.\n",
            "operationId": "exportConversation",
            "parameters": [
             {
              "$ref": "#/components/parameters/ConversationID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/ExportFormat"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/ConversationExport"
                }
               },
               "text/markdown": {
                "schema": {
                 "type": "string"
                }
               }
              },
              "description": "The export.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Export a conversation",
            "tags": [
             "conversations"
            ]
           }
          },
          "/v1/conversations/{id}/messages": {
           "get": {
            "description": "The messages of one of the caller's conversations, oldest first, paginated: pass\n`next_cursor` as `cursor` for the next page (`null` on the last). Needs `chat:read`.\n",
            "operationId": "listMessages",
            "parameters": [
             {
              "$ref": "#/components/parameters/ConversationID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/PageLimit"
             },
             {
              "$ref": "#/components/parameters/PageCursor"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/MessagePage"
                }
               }
              },
              "description": "A page of messages.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "A conversation's messages",
            "tags": [
             "conversations"
            ]
           },
           "post": {
            "description": "The retrieval-augmented answer: the question is stored, the conversation's assistant\nsearches its collections (its `filters`, overridden field by field by the request's),\nthe recent history and the sources ground the answer, and the answer is stored with its\nsources (`[n]` citations). Answers JSON, or with `stream: true` (or, when `stream` is\nabsent, `Accept: text/event-stream`) server-sent events.\n\nWith an `Idempotency-Key` the same key (per user) is answered once: a retry after the\nanswer replays it (`metadata.replayed`), a retry while it is being answered is 409\n`IDEMPOTENCY_IN_PROGRESS`, and the key reused for a different request (another\nconversation, question, assistant or filters) is 422 `IDEMPOTENCY_KEY_REUSED`. The same\nstand-alone question to the same (unchanged, temperature 0) assistant over unchanged\ncollections may be answered from the answer cache (`metadata.cached`, no tokens); it is\nstored and counted as a message like any answer. `content` (or `message`) longer than the configured limit is\n400 `LIMIT_EXCEEDED`. Rate class `chat`; needs the plan's `messages` quota left (429\n`QUOTA_EXCEEDED`). A non-streamed answer must be complete, a streamed one must start,\nwithin 120 s. Needs `chat:create`.\n",
            "operationId": "sendMessage",
            "parameters": [
             {
              "$ref": "#/components/parameters/ConversationID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/IdempotencyKey"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "content": "How many days of leave do I get?"
               },
               "schema": {
                "$ref": "#/components/schemas/MessageRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/ChatAnswer"
                }
               },
               "text/event-stream": {
                "example": "event: sources\ndata: {\"degraded\":[],\"retrieval_ms\":42,\"sources\":[{\"chunk_id\":\"c-17\",\"cited\":true,\"document_id\":\"5f0c3a5e-8a43-4c41-9b8e-2f1d6c7a9b10\",\"index\":1,\"score\":0.82,\"text\":\"Employees accrue 2 days of leave a month.\",\"title\":\"Leave policy\"}],\"strategy\":\"hybrid\"}\n\nevent: delta\ndata: {\"text\":\"24 days a year [1].\"}\n\nevent: done\ndata: {\"conversation_id\":\"9b2e6c1a-3f4d-4e5b-8a7c-1d2e3f4a5b6c\",\"message_id\":\"0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b\",\"metadata\":{\"cached\":false,\"degraded\":[],\"generation_ms\":310,\"interrupted\":false,\"latency_ms\":380,\"model\":\"cairn-extractive-1\",\"replayed\":false,\"retrieval_ms\":42,\"strategy\":\"hybrid\"},\"user_message_id\":\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d\"}\n",
                "schema": {
                 "additionalProperties": false,
                 "description": "Server-sent events, each `event: <name>` and `data: <JSON>`: first `sources`\n(a `ChatSourcesEvent`), then any number of `delta` (a `ChatDeltaEvent`, the next\npiece of the answer), then `done` (a `ChatAnswer` without `message`) or\n`error` (a `ChatErrorEvent`). A retried request whose\nIdempotency-Key was already answered replays the stored answer as one\n`sources`, one `delta` and `done` (`metadata.replayed` true).\n",
                 "properties": {
                  "data": {
                   "type": "string"
                  },
                  "event": {
                   "type": "string"
                  },
                  "id": {
                   "type": "string"
                  },
                  "retry": {
                   "type": "integer"
                  }
                 },
                 "required": [
                  "data"
                 ],
                 "type": "object"
                }
               }
              },
              "description": "The answer, whole (JSON) or streamed (`stream: true` or `Accept: text/event-stream`).",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`IDEMPOTENCY_IN_PROGRESS`: a request with this Idempotency-Key is still being answered; retry later.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "422": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`IDEMPOTENCY_KEY_REUSED`: this Idempotency-Key was used for a different request; use a new key.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "429": {
              "$ref": "#/components/responses/RateLimitedOrQuotaExceeded"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`GENERATION_UNAVAILABLE`: no answer could be generated (the question was kept); or\n`UNAVAILABLE` as for every operation.\n",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Ask in a conversation",
            "tags": [
             "answers"
            ]
           }
          },
          "/v1/documents": {
           "get": {
            "description": "Documents of the tenant, oldest first, filtered and paginated: pass `next_cursor` as\n`cursor` for the next page (`null` on the last). Deleted documents are listed too (status\n`deleted`) unless `status` says otherwise. Needs `documents:read`.\n",
            "operationId": "listDocuments",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "description": "Only documents in this state.",
              "in": "query",
              "name": "status",
              "schema": {
               "$ref": "#/components/schemas/DocumentStatus"
              }
             },
             {
              "description": "Only documents of this collection (not a UUID is 400).",
              "in": "query",
              "name": "collection_id",
              "schema": {
               "format": "uuid",
               "type": "string"
              }
             },
             {
              "description": "Only documents changed at or after this time (ISO 8601).",
              "in": "query",
              "name": "updated_since",
              "schema": {
               "format": "date-time",
               "type": "string"
              }
             },
             {
              "$ref": "#/components/parameters/PageLimit"
             },
             {
              "$ref": "#/components/parameters/PageCursor"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/DocumentPage"
                }
               }
              },
              "description": "A page of documents.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's documents",
            "tags": [
             "documents"
            ]
           }
          },
          "/v1/documents/{id}": {
           "delete": {
            "description": "Marks the document `deleted` (every version) and drops an upload not yet processed; its\nchunks leave search shortly after. A document already deleted answers 204 again. Needs\n`documents:delete` (tenant admins).\n",
            "operationId": "deleteDocument",
            "parameters": [
             {
              "$ref": "#/components/parameters/DocumentID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "204": {
              "description": "Deleted (or already deleted).",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Delete a document",
            "tags": [
             "documents"
            ]
           },
           "get": {
            "description": "The document with its status (`pending` → `processing` → `chunked` → `indexed`, or\n`failed` with `error`; `deleted`) and when it reached each. Deleted documents are still\nanswered. Needs `documents:read`.\n",
            "operationId": "getDocument",
            "parameters": [
             {
              "$ref": "#/components/parameters/DocumentID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Document"
                }
               }
              },
              "description": "The document.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "One document and its processing state",
            "tags": [
             "documents"
            ]
           }
          },
          "/v1/embeddings": {
           "post": {
            "description": "OpenAI's embeddings API: one vector per input, in input order. `model` names a model of\n`GET /v1/embeddings/models` by id or alias (404 `MODEL_NOT_FOUND` otherwise); without it\nthe local model (`all-MiniLM-L6-v2`, 384 dimensions, unit-length vectors). Inputs longer\nthan the model's `max_tokens` are truncated. Over a limit is 400 `LIMIT_EXCEEDED` with\n`details` `{limit_name, limit, actual}`. Rate class `search`. Needs\n`embeddings:create`.\n",
            "operationId": "createEmbeddings",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "input": [
                 "how many days of leave",
                 "parental leave"
                ],
                "model": "all-MiniLM-L6-v2"
               },
               "schema": {
                "$ref": "#/components/schemas/EmbeddingRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/EmbeddingList"
                }
               }
              },
              "description": "The vectors.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`MODEL_NOT_FOUND`: no such model (the message lists those served); or `NOT_FOUND`: another tenant named.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`PROVIDER_ERROR`: a remote model's provider refused the request; or `BAD_GATEWAY`.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "503": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`PROVIDER_UNAVAILABLE`: a remote model's provider kept failing (retry later); or\n`UNAVAILABLE` (the service is unreachable or shutting down, or an API key cannot be\nverified).\n",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Embed texts (OpenAI-compatible)",
            "tags": [
             "embeddings"
            ]
           }
          },
          "/v1/embeddings/models": {
           "get": {
            "description": "Every model `POST /v1/embeddings` serves, the default (local) one first. Any signed-in caller.",
            "operationId": "listEmbeddingModels",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/EmbeddingModelList"
                }
               }
              },
              "description": "The models.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The embedding models",
            "tags": [
             "embeddings"
            ]
           }
          },
          "/v1/feedback": {
           "get": {
            "description": "The tenant's ratings (`kind=rating`, the default) or reports (`kind=report`), newest\nfirst, paginated: pass `next_cursor` as `cursor` for the next page (`null` on the last).\nNeeds `audit:read` (tenant admins).\n",
            "operationId": "listFeedback",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/FeedbackKind"
             },
             {
              "$ref": "#/components/parameters/PageLimit"
             },
             {
              "$ref": "#/components/parameters/PageCursor"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/FeedbackList"
                }
               }
              },
              "description": "The feedback.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's feedback",
            "tags": [
             "feedback"
            ]
           }
          },
          "/v1/invoices/preview": {
           "get": {
            "description": "The current monthly period (from the subscription's anchor day, else the calendar\nmonth): the plan's monthly price (yearly subscriptions show their monthly share) plus,\nwhere the plan prices it, each message above the plan's allowance. A preview only:\nCairn issues no invoices yet. Needs `billing:read`.\n",
            "operationId": "previewInvoice",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/InvoicePreview"
                }
               }
              },
              "description": "The preview.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "What the current month costs so far",
            "tags": [
             "usage"
            ]
           }
          },
          "/v1/messages/{id}/feedback": {
           "post": {
            "description": "Thumbs (`up`/`down`) and/or a rating (1-5), with an optional comment (at most 4,000\ncharacters), on an answer in one of the caller's conversations (anything else is 404).\nNeeds `chat:create`.\n",
            "operationId": "rateMessage",
            "parameters": [
             {
              "$ref": "#/components/parameters/MessageID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "comment": "Exactly right.",
                "thumbs": "up"
               },
               "schema": {
                "$ref": "#/components/schemas/RatingRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/FeedbackCreated"
                }
               }
              },
              "description": "Recorded.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Rate an answer",
            "tags": [
             "feedback"
            ]
           }
          },
          "/v1/messages/{id}/reports": {
           "post": {
            "description": "Reports offending text (1-4,000 characters) in an answer in one of the caller's\nconversations (anything else is 404), with an optional comment. Needs `chat:create`.\n",
            "operationId": "reportMessage",
            "parameters": [
             {
              "$ref": "#/components/parameters/MessageID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "comment": "Not in the source.",
                "offending_text": "the quoted sentence"
               },
               "schema": {
                "$ref": "#/components/schemas/ReportRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/FeedbackCreated"
                }
               }
              },
              "description": "Recorded.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Report an answer",
            "tags": [
             "feedback"
            ]
           }
          },
          "/v1/models": {
           "get": {
            "description": "OpenAI's model list: every model `POST /v1/chat/completions` serves, by id, with its\nlimits and prices, then every alias (`owned_by` `cairn-alias`) with the models it tries\nin order. Any signed-in caller.\n",
            "operationId": "listChatModels",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/ChatModelList"
                }
               }
              },
              "description": "The models and aliases.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The chat models",
            "tags": [
             "chat"
            ]
           }
          },
          "/v1/plans": {
           "get": {
            "description": "Every plan, cheapest first (then by name). Any signed-in caller; no permission needed.",
            "operationId": "listPlans",
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/PlanList"
                }
               }
              },
              "description": "The plans.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The plan catalogue",
            "tags": [
             "plans"
            ]
           },
           "post": {
            "description": "Adds a plan to the catalogue; tenants can subscribe to it at once. System admins only\n(`admin:*`; 403 for everyone else). 409 when a plan of that name exists. Audited as\n`plan.create`.\n",
            "operationId": "createPlan",
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "currency": "usd",
                "display_name": "Team",
                "limits": {
                 "api_calls_per_day": 5000,
                 "documents": 5000,
                 "messages_per_month": 5000,
                 "storage_mb": 5000,
                 "tokens_per_message": 2000
                },
                "message_overage_cents": 2,
                "name": "team",
                "price_cents": 4900,
                "rate_limits": {
                 "chat": {
                  "burst": 200,
                  "per_minute": 200,
                  "tenant_per_minute": 2000
                 },
                 "general": {
                  "burst": 1000,
                  "per_minute": 1000,
                  "tenant_per_minute": 10000
                 },
                 "search": {
                  "burst": 500,
                  "per_minute": 500,
                  "tenant_per_minute": 5000
                 }
                }
               },
               "schema": {
                "$ref": "#/components/schemas/PlanDefinition"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Plan"
                }
               }
              },
              "description": "The plan as stored (`currency` lower-cased).",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Add a plan",
            "tags": [
             "plans"
            ]
           }
          },
          "/v1/plans/{name}": {
           "delete": {
            "description": "Removes a plan from the catalogue. 409 for the default plan (`free`) and for a plan any\nsubscription, current, scheduled or ended, has ever named. System admins only\n(`admin:*`; 403 for everyone else). Audited as `plan.delete`.\n",
            "operationId": "deletePlan",
            "parameters": [
             {
              "$ref": "#/components/parameters/PlanName"
             }
            ],
            "responses": {
             "204": {
              "description": "Removed.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Remove a plan",
            "tags": [
             "plans"
            ]
           },
           "get": {
            "description": "Any signed-in caller; no permission needed.",
            "operationId": "getPlan",
            "parameters": [
             {
              "$ref": "#/components/parameters/PlanName"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Plan"
                }
               }
              },
              "description": "The plan.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "One plan",
            "tags": [
             "plans"
            ]
           },
           "put": {
            "description": "Replaces every field of an existing plan but its name (the path's; the body's `name` is\nrequired but ignored). There is no create here: an unknown plan is 404, a malformed\nname 400. Takes effect at once for every tenant on the plan, quota checks and rate\nlimits included. System admins only (`admin:*`; 403 for everyone else). Audited as\n`plan.update`.\n",
            "operationId": "replacePlan",
            "parameters": [
             {
              "$ref": "#/components/parameters/PlanName"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "currency": "usd",
                "display_name": "Pro",
                "limits": {
                 "api_calls_per_day": 1000,
                 "documents": 1000,
                 "messages_per_month": 2000,
                 "storage_mb": 1000,
                 "tokens_per_message": 2000
                },
                "message_overage_cents": 2,
                "name": "pro",
                "price_cents": 3900,
                "rate_limits": {
                 "chat": {
                  "burst": 120,
                  "per_minute": 120,
                  "tenant_per_minute": 1200
                 },
                 "general": {
                  "burst": 600,
                  "per_minute": 600,
                  "tenant_per_minute": 6000
                 },
                 "search": {
                  "burst": 300,
                  "per_minute": 300,
                  "tenant_per_minute": 3000
                 }
                }
               },
               "schema": {
                "$ref": "#/components/schemas/PlanReplacement"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Plan"
                }
               }
              },
              "description": "The plan as stored (`currency` lower-cased).",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Change a plan",
            "tags": [
             "plans"
            ]
           }
          },
          "/v1/search": {
           "post": {
            "description": "Ranks chunks of the tenant's indexed documents by query text, a query vector, or both.\n`strategy`: `vector` (cosine similarity; query text is embedded with the embedding\nservice's default model unless `vector` is given), `lexical` (BM25; needs text), `hybrid` (both, fused by\nreciprocal rank) or `auto` (the default: `hybrid` with text, `vector` without). When the\ntext cannot be embedded, `hybrid` and `auto` fall back to lexical and say so in\n`degraded`; `vector` is 503 `EMBEDDING_UNAVAILABLE`. Collections named in\n`filters.collection_ids` that have no index simply contribute nothing. Rate class\n`search`. Needs `search:query`.\n",
            "operationId": "search",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "filters": {
                 "collection_ids": [
                  "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"
                 ],
                 "tags_any": [
                  "policy"
                 ]
                },
                "query": "how many days of leave",
                "top_k": 5
               },
               "schema": {
                "$ref": "#/components/schemas/SearchRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/SearchResponse"
                }
               }
              },
              "description": "The best chunks, best first.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Error"
                }
               }
              },
              "description": "`EMBEDDING_UNAVAILABLE`: a `vector` search with text only, and the text could not be\nembedded (retry, pass `vector`, or use `lexical`); or `UNAVAILABLE` as for every\noperation.\n",
              "headers": {
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Search the tenant's documents",
            "tags": [
             "search"
            ]
           }
          },
          "/v1/search/collections": {
           "get": {
            "description": "One entry per collection that has an index (a collection gets one with its first\nindexed chunks). Needs `search:query`.\n",
            "operationId": "listSearchIndexes",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/SearchIndexList"
                }
               }
              },
              "description": "The indexes.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's search indexes",
            "tags": [
             "search"
            ]
           }
          },
          "/v1/search/collections/{collection_id}": {
           "get": {
            "description": "Its size and parameters; 404 while the collection has no index. Needs `search:query`.",
            "operationId": "getSearchIndex",
            "parameters": [
             {
              "$ref": "#/components/parameters/SearchCollectionID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/SearchIndex"
                }
               }
              },
              "description": "The index.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "One collection's search index",
            "tags": [
             "search"
            ]
           }
          },
          "/v1/tenants/{tenant_id}/plan": {
           "get": {
            "description": "The plan in force now, with its quotas and rate limits, and the subscription behind it\n(`null`: no subscription, the default plan `free` applies). Billing does not know which\ntenants exist: any other UUID a system admin names answers the default plan. Needs\n`billing:read` (tenant admins, system admins).\n",
            "operationId": "getTenantPlan",
            "parameters": [
             {
              "$ref": "#/components/parameters/PathTenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/TenantPlan"
                }
               }
              },
              "description": "The plan and the subscription.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The plan a tenant is on",
            "tags": [
             "subscriptions"
            ]
           }
          },
          "/v1/tenants/{tenant_id}/subscription": {
           "delete": {
            "description": "Ends the subscription in force at once; the tenant is on the default plan from now on\nand may subscribe again. 404 when there is none. Needs `billing:manage`. Audited as\n`subscription.cancel`.\n",
            "operationId": "cancelSubscription",
            "parameters": [
             {
              "$ref": "#/components/parameters/PathTenantID"
             }
            ],
            "responses": {
             "204": {
              "description": "Cancelled.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Cancel a subscription now",
            "tags": [
             "subscriptions"
            ]
           },
           "get": {
            "description": "The subscription in force, or `{\"subscription\": null}` when there is none (the tenant\nis on the default plan). Needs `billing:read`.\n",
            "operationId": "getSubscription",
            "parameters": [
             {
              "$ref": "#/components/parameters/PathTenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/CurrentSubscription"
                }
               }
              },
              "description": "The subscription, or `null`.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "A tenant's subscription",
            "tags": [
             "subscriptions"
            ]
           },
           "patch": {
            "description": "At least one of:\n\n- `plan`: change plan, `effective` `now` (the default; the period anchor is kept, no\n  proration) or at `period_end` (the current billing period's end; until then the\n  answer still shows the current plan);\n- `cancel_at_period_end`: `true` ends the subscription at the end of the current billing\n  period (`ends_at`), `false` takes that back;\n- `status`: `active` or `past_due`, system admins only (403 for others; any other value\n  400). Ends a trial.\n\n404 when the tenant has no subscription in force; 400 for an unknown plan. Needs\n`billing:manage`. Audited as `subscription.update`.\n",
            "operationId": "updateSubscription",
            "parameters": [
             {
              "$ref": "#/components/parameters/PathTenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "examples": {
                "cancel": {
                 "summary": "Cancel at the end of the period",
                 "value": {
                  "cancel_at_period_end": true
                 }
                },
                "downgrade": {
                 "summary": "Downgrade at the end of the period",
                 "value": {
                  "effective": "period_end",
                  "plan": "free"
                 }
                },
                "upgrade": {
                 "summary": "Upgrade now",
                 "value": {
                  "plan": "enterprise"
                 }
                }
               },
               "schema": {
                "$ref": "#/components/schemas/SubscriptionUpdateRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/SubscriptionEnvelope"
                }
               }
              },
              "description": "The subscription as changed.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Change plan, schedule or revoke a cancellation, set the payment status",
            "tags": [
             "subscriptions"
            ]
           },
           "post": {
            "description": "Starts a subscription now (`trialing` with `trial_days`, else `active`); its monthly\nperiods start on today's day of the month, 00:00 UTC. No payment is taken. 400 for an\nunknown plan, 409 while the tenant has a subscription in force (change it with PATCH or\ncancel it first). Needs `billing:manage` (tenant admins, system admins). Audited as\n`subscription.create`.\n",
            "operationId": "createSubscription",
            "parameters": [
             {
              "$ref": "#/components/parameters/PathTenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "billing_cycle": "monthly",
                "plan": "pro",
                "trial_days": 14
               },
               "schema": {
                "$ref": "#/components/schemas/CreateSubscriptionRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/SubscriptionEnvelope"
                }
               }
              },
              "description": "The new subscription.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Subscribe a tenant to a plan",
            "tags": [
             "subscriptions"
            ]
           }
          },
          "/v1/usage": {
           "get": {
            "description": "Every meter in its current period (monthly meters from the subscription's anchor day or\nthe calendar month, `api_calls` the UTC day; `documents` and `storage_bytes` never\nreset) with the plan's limit where it sets one. Needs `usage:read`. Callers with\n`billing:read` see the tenant's totals, or one caller's with `user_id`; everyone else\n(members, most API keys) sees their own use only, and naming anyone else is 404.\n",
            "operationId": "getUsage",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/UsageUserID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/UsageReport"
                }
               }
              },
              "description": "The usage.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Usage in the current periods",
            "tags": [
             "usage"
            ]
           }
          },
          "/v1/usage/history": {
           "get": {
            "description": "Use per UTC day and meter between `from` and `to` (inclusive, at most 366 days), only\ndays with use listed, ordered by day then meter; with `group_by=user` one point per day,\nmeter and caller. Who sees what as for `GET /v1/usage`. Needs `usage:read`.\n",
            "operationId": "getUsageHistory",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             },
             {
              "$ref": "#/components/parameters/UsageUserID"
             },
             {
              "description": "First day (`YYYY-MM-DD`, UTC); default 29 days before `to`. Not after `to`.",
              "in": "query",
              "name": "from",
              "schema": {
               "format": "date",
               "type": "string"
              }
             },
             {
              "description": "Last day (`YYYY-MM-DD`, UTC); default today.",
              "in": "query",
              "name": "to",
              "schema": {
               "format": "date",
               "type": "string"
              }
             },
             {
              "description": "Only this meter.",
              "in": "query",
              "name": "resource",
              "schema": {
               "$ref": "#/components/schemas/Meter"
              }
             },
             {
              "description": "`user`: one point per caller too.",
              "in": "query",
              "name": "group_by",
              "schema": {
               "default": "resource",
               "enum": [
                "resource",
                "user"
               ],
               "type": "string"
              }
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/UsageHistory"
                }
               }
              },
              "description": "The series.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Daily usage",
            "tags": [
             "usage"
            ]
           }
          },
          "/v1/users": {
           "get": {
            "description": "Every user of the tenant, oldest first. Needs `users:read`.",
            "operationId": "listUsers",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/UserList"
                }
               }
              },
              "description": "The users.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "The tenant's users",
            "tags": [
             "users"
            ]
           }
          },
          "/v1/users/invitations": {
           "post": {
            "description": "An invitation into the tenant, valid 7 days. Its token is shown once; delivering it is\nup to the inviter (Cairn sends no email); the invitee registers with it. Needs\n`users:manage`; nobody grants a role above their own (403), only system admins invite\nsystem admins.\n",
            "operationId": "inviteUser",
            "parameters": [
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "email": "grace@acme.example",
                "role": "member"
               },
               "schema": {
                "$ref": "#/components/schemas/InvitationRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "201": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/Invitation"
                }
               }
              },
              "description": "The invitation.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Invite someone",
            "tags": [
             "users"
            ]
           }
          },
          "/v1/users/{id}": {
           "patch": {
            "description": "Sets `role` and/or `status` (at least one). Disabling ends the user's sessions; setting\na status also clears a lockout and the failed-login count. Needs `users:manage`; nobody\nchanges their own account (400), assigns a role above their own or changes an account\nthat outranks them (403).\n",
            "operationId": "updateUser",
            "parameters": [
             {
              "$ref": "#/components/parameters/UserID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "requestBody": {
             "content": {
              "application/json": {
               "example": {
                "status": "disabled"
               },
               "schema": {
                "$ref": "#/components/schemas/UserUpdateRequest"
               }
              }
             },
             "required": true
            },
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/User"
                }
               }
              },
              "description": "The user as updated.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Change a user's role or status",
            "tags": [
             "users"
            ]
           }
          },
          "/v1/users/{id}/unlock": {
           "post": {
            "description": "Makes a locked (or already active) account active and clears its failed logins. No\nrequest body. Needs `users:manage`; 409 for a disabled account (re-enable it with\nPATCH instead), 403 for an account that outranks the caller.\n",
            "operationId": "unlockUser",
            "parameters": [
             {
              "$ref": "#/components/parameters/UserID"
             },
             {
              "$ref": "#/components/parameters/TenantID"
             }
            ],
            "responses": {
             "200": {
              "content": {
               "application/json": {
                "schema": {
                 "$ref": "#/components/schemas/User"
                }
               }
              },
              "description": "The user, active.",
              "headers": {
               "RateLimit-Limit": {
                "$ref": "#/components/headers/RateLimit-Limit"
               },
               "RateLimit-Remaining": {
                "$ref": "#/components/headers/RateLimit-Remaining"
               },
               "RateLimit-Reset": {
                "$ref": "#/components/headers/RateLimit-Reset"
               },
               "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
               }
              }
             },
             "400": {
              "$ref": "#/components/responses/InvalidRequestAuthenticated"
             },
             "401": {
              "$ref": "#/components/responses/Unauthenticated"
             },
             "403": {
              "$ref": "#/components/responses/Forbidden"
             },
             "404": {
              "$ref": "#/components/responses/NotFound"
             },
             "408": {
              "$ref": "#/components/responses/RequestTimeout"
             },
             "409": {
              "$ref": "#/components/responses/Conflict"
             },
             "413": {
              "$ref": "#/components/responses/PayloadTooLarge"
             },
             "429": {
              "$ref": "#/components/responses/RateLimited"
             },
             "502": {
              "$ref": "#/components/responses/BadGateway"
             },
             "503": {
              "$ref": "#/components/responses/Unavailable"
             },
             "504": {
              "$ref": "#/components/responses/UpstreamTimeout"
             }
            },
            "summary": "Lift a lockout",
            "tags": [
             "users"
            ]
           }
          }
         },
         "security": [
          {
           "bearerAuth": []
          },
          {
           "apiKeyHeader": []
          }
         ],
         "tags": [
          {
           "description": "The gateway's own operational routes.",
           "name": "gateway"
          },
          {
           "description": "Registration, login, tokens and the signed-in identity.",
           "name": "sessions"
          },
          {
           "description": "TOTP second factor (6 digits, 30 s steps, SHA-1) for the signed-in user.",
           "name": "mfa"
          },
          {
           "description": "The users of a tenant (tenant admins).",
           "name": "users"
          },
          {
           "description": "API keys for programs.",
           "name": "api-keys"
          },
          {
           "description": "The tenant's audit log.",
           "name": "audit"
          },
          {
           "description": "Token signing keys.",
           "name": "keys"
          },
          {
           "description": "The plan catalogue (edited by system admins).",
           "name": "plans"
          },
          {
           "description": "Tenants' plans and subscriptions. No payments are taken (none is built yet).",
           "name": "subscriptions"
          },
          {
           "description": "Metered usage and the invoice preview.",
           "name": "usage"
          },
          {
           "description": "Named sets of documents, each with its chunking settings and embedding model.",
           "name": "collections"
          },
          {
           "description": "Documents, their processing status, and deletion.",
           "name": "documents"
          },
          {
           "description": "Vector, lexical and hybrid search over the tenant's indexed documents.",
           "name": "search"
          },
          {
           "description": "The OpenAI-compatible embeddings API.",
           "name": "embeddings"
          },
          {
           "description": "The OpenAI-compatible chat completions API and its models.",
           "name": "chat"
          },
          {
           "description": "Assistants (instructions, model and retrieval settings) of the tenant.",
           "name": "assistants"
          },
          {
           "description": "The caller's conversations, their messages and exports.",
           "name": "conversations"
          },
          {
           "description": "Grounded (retrieval-augmented) answers to questions in conversations.",
           "name": "answers"
          },
          {
           "description": "Ratings and reports on answers.",
           "name": "feedback"
          }
         ]
        }
        """#
}
