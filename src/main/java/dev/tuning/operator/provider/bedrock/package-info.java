/**
 * Amazon Bedrock model customization jobs (docs/providers/bedrock.md) through the AWS SDK for Java
 * v2, behind the provider SPI.
 */
package dev.tuning.operator.provider.bedrock;
