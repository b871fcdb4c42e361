/** A TMF629-like Customer Management API, trimmed to a few operations: OpenAPI 3.0, served as YAML. */
export const tmf629CustomerManagement = `openapi: 3.0.1
info:
  title: Customer Management
  description: >-
    Sandbox sample modelled on TMF629 Customer Management v4: the customers of a service provider.
  version: 4.0.0
servers:
  - url: https://serverRoot/tmf-api/customerManagement/v4
tags:
  - name: customer
paths:
  /customer:
    get:
      operationId: listCustomer
      summary: List or find Customer objects
      tags: [customer]
      parameters:
        - $ref: '#/components/parameters/Fields'
        - $ref: '#/components/parameters/Offset'
        - $ref: '#/components/parameters/Limit'
      responses:
        '200':
          description: Success
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Customer'
        default:
          $ref: '#/components/responses/Error'
    post:
      operationId: createCustomer
      summary: Creates a Customer
      tags: [customer]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Customer_Create'
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Customer'
        default:
          $ref: '#/components/responses/Error'
  /customer/{id}:
    parameters:
      - name: id
        in: path
        required: true
        description: Identifier of the Customer
        schema:
          type: string
    get:
      operationId: retrieveCustomer
      summary: Retrieves a Customer by ID
      tags: [customer]
      parameters:
        - $ref: '#/components/parameters/Fields'
      responses:
        '200':
          description: Success
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Customer'
        default:
          $ref: '#/components/responses/Error'
    patch:
      operationId: patchCustomer
      summary: Updates partially a Customer
      tags: [customer]
      requestBody:
        required: true
        content:
          application/merge-patch+json:
            schema:
              $ref: '#/components/schemas/Customer_Update'
      responses:
        '200':
          description: Updated
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Customer'
        default:
          $ref: '#/components/responses/Error'
    delete:
      operationId: deleteCustomer
      summary: Deletes a Customer
      tags: [customer]
      responses:
        '204':
          description: Deleted
        default:
          $ref: '#/components/responses/Error'
components:
  parameters:
    Fields:
      name: fields
      in: query
      description: Comma-separated properties to be provided in response
      schema:
        type: string
    Offset:
      name: offset
      in: query
      description: Requested index for start of resources to be provided in response
      schema:
        type: integer
    Limit:
      name: limit
      in: query
      description: Requested number of resources to be provided in response
      schema:
        type: integer
  responses:
    Error:
      description: Error
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    Customer:
      type: object
      properties:
        id:
          type: string
        href:
          type: string
        name:
          type: string
        status:
          type: string
        statusReason:
          type: string
        engagedParty:
          $ref: '#/components/schemas/PartyRef'
    Customer_Create:
      type: object
      required: [engagedParty]
      properties:
        name:
          type: string
        status:
          type: string
        engagedParty:
          $ref: '#/components/schemas/PartyRef'
    Customer_Update:
      type: object
      properties:
        name:
          type: string
        status:
          type: string
        statusReason:
          type: string
    PartyRef:
      type: object
      required: [id]
      properties:
        id:
          type: string
        href:
          type: string
        name:
          type: string
        '@referredType':
          type: string
    Error:
      type: object
      required: [code, reason]
      properties:
        code:
          type: string
        reason:
          type: string
        message:
          type: string
`
